import GUSPAPI
import GUSPCore

// Exhaustive conversions between the contract's enums and the domain's, for meetings: a case added on
// either side is a compile error here, never a crash at run time.

extension Components.Schemas.MeetingKind {
    init(_ value: MeetingKind) {
        switch value {
        case .celluleDeVeille: self = .celluleDeVeille
        case .comiteTechnique: self = .comiteTechnique
        case .copilTechnique: self = .copilTechnique
        case .copilSocial: self = .copilSocial
        case .interBailleurs: self = .interBailleurs
        case .other: self = .other
        }
    }
}

extension MeetingKind {
    init(_ value: Components.Schemas.MeetingKind) {
        switch value {
        case .celluleDeVeille: self = .celluleDeVeille
        case .comiteTechnique: self = .comiteTechnique
        case .copilTechnique: self = .copilTechnique
        case .copilSocial: self = .copilSocial
        case .interBailleurs: self = .interBailleurs
        case .other: self = .other
        }
    }
}

extension Components.Schemas.MeetingStatus {
    init(_ value: MeetingStatus) {
        switch value {
        case .planned: self = .planned
        case .held: self = .held
        case .minutesApproved: self = .minutesApproved
        case .cancelled: self = .cancelled
        }
    }
}

extension MeetingStatus {
    init(_ value: Components.Schemas.MeetingStatus) {
        switch value {
        case .planned: self = .planned
        case .held: self = .held
        case .minutesApproved: self = .minutesApproved
        case .cancelled: self = .cancelled
        }
    }
}

extension Components.Schemas.MinutesVisibility {
    init(_ value: MinutesVisibility) {
        switch value {
        case .internal: self = ._internal
        case .signatories: self = .signatories
        case .public: self = ._public
        }
    }
}

extension MinutesVisibility {
    init(_ value: Components.Schemas.MinutesVisibility) {
        switch value {
        case ._internal: self = .internal
        case .signatories: self = .signatories
        case ._public: self = .public
        }
    }
}

extension Components.Schemas.AgendaItemKind {
    init(_ value: AgendaItemKind) {
        switch value {
        case .escalation: self = .escalation
        case .arbitration: self = .arbitration
        case .parcelOverlap: self = .parcelOverlap
        case .overdue: self = .overdue
        case .tranquillite: self = .tranquillite
        case .hotSpot: self = .hotSpot
        case .engagement: self = .engagement
        case .actionSheet: self = .actionSheet
        case .manual: self = .manual
        }
    }
}

extension Components.Schemas.AgendaItem.TargetTypePayload {
    init(_ value: AgendaTargetType) {
        switch value {
        case .signalement: self = .signalement
        case .escalation: self = .escalation
        case .engagement: self = .engagement
        case .actionSheet: self = .actionSheet
        case .hotSpot: self = .hotSpot
        }
    }
}

extension Components.Schemas.DecisionKind {
    init(_ value: DecisionKind) {
        switch value {
        case .assign: self = .assign
        case .acknowledge: self = .acknowledge
        case .engagement: self = .engagement
        case .noAction: self = .noAction
        }
    }
}

extension DecisionKind {
    init(_ value: Components.Schemas.DecisionKind) {
        switch value {
        case .assign: self = .assign
        case .acknowledge: self = .acknowledge
        case .engagement: self = .engagement
        case .noAction: self = .noAction
        }
    }
}
