import GUSPAPI
import GUSPCore

// Exhaustive conversions between the contract's enums and the domain's, for walks: a case added on either
// side is a compile error here, never a crash at run time.

extension Components.Schemas.WalkKind {
    init(_ value: WalkKind) {
        switch value {
        case .diagnostic: self = .diagnostic
        case .exploratory: self = .exploratory
        }
    }
}

extension WalkKind {
    init(_ value: Components.Schemas.WalkKind) {
        switch value {
        case .diagnostic: self = .diagnostic
        case .exploratory: self = .exploratory
        }
    }
}

extension Components.Schemas.WalkTimeOfDay {
    init(_ value: WalkTimeOfDay) {
        switch value {
        case .day: self = .day
        case .evening: self = .evening
        case .night: self = .night
        }
    }
}

extension WalkTimeOfDay {
    init(_ value: Components.Schemas.WalkTimeOfDay) {
        switch value {
        case .day: self = .day
        case .evening: self = .evening
        case .night: self = .night
        }
    }
}

extension Components.Schemas.WalkStatus {
    init(_ value: WalkStatus) {
        switch value {
        case .planned: self = .planned
        case .held: self = .held
        case .reportPublished: self = .reportPublished
        case .closed: self = .closed
        case .cancelled: self = .cancelled
        }
    }
}

extension WalkStatus {
    init(_ value: Components.Schemas.WalkStatus) {
        switch value {
        case .planned: self = .planned
        case .held: self = .held
        case .reportPublished: self = .reportPublished
        case .closed: self = .closed
        case .cancelled: self = .cancelled
        }
    }
}

extension Components.Schemas.AttendeeRole {
    init(_ value: AttendeeRole) {
        switch value {
        case .resident: self = .resident
        case .association: self = .association
        case .bailleur: self = .bailleur
        case .ville: self = .ville
        case .epci: self = .epci
        case .etat: self = .etat
        case .elected: self = .elected
        case .other: self = .other
        }
    }
}

extension AttendeeRole {
    init(_ value: Components.Schemas.AttendeeRole) {
        switch value {
        case .resident: self = .resident
        case .association: self = .association
        case .bailleur: self = .bailleur
        case .ville: self = .ville
        case .epci: self = .epci
        case .etat: self = .etat
        case .elected: self = .elected
        case .other: self = .other
        }
    }
}

extension Components.Schemas.AgeBand {
    init(_ value: AgeBand) {
        switch value {
        case .child: self = .child
        case .youth: self = .youth
        case .adult: self = .adult
        case .senior: self = .senior
        }
    }
}

extension AgeBand {
    init(_ value: Components.Schemas.AgeBand) {
        switch value {
        case .child: self = .child
        case .youth: self = .youth
        case .adult: self = .adult
        case .senior: self = .senior
        }
    }
}

extension Components.Schemas.GridAnswerType {
    init(_ value: GridAnswerType) {
        switch value {
        case .yesNo: self = .yesNo
        case .scale4: self = .scale4
        case .text: self = .text
        }
    }
}

extension GridAnswerType {
    init(_ value: Components.Schemas.GridAnswerType) {
        switch value {
        case .yesNo: self = .yesNo
        case .scale4: self = .scale4
        case .text: self = .text
        }
    }
}

extension Components.Schemas.ObservationPolarity {
    init(_ value: ObservationPolarity) {
        switch value {
        case .positive: self = .positive
        case .negative: self = .negative
        }
    }
}

extension ObservationPolarity {
    init(_ value: Components.Schemas.ObservationPolarity) {
        switch value {
        case .positive: self = .positive
        case .negative: self = .negative
        }
    }
}

extension Components.Schemas.ConversionTarget {
    init(_ value: ConversionTarget) {
        switch value {
        case .signalement: self = .signalement
        case .engagement: self = .engagement
        }
    }
}

extension ConversionTarget {
    init(_ value: Components.Schemas.ConversionTarget) {
        switch value {
        case .signalement: self = .signalement
        case .engagement: self = .engagement
        }
    }
}
