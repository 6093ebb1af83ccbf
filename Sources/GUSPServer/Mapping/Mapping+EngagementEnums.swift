import GUSPAPI
import GUSPCore

// Exhaustive conversions between the contract's enums and the domain's, for engagements.

extension Components.Schemas.EngagementStatus {
    init(_ value: EngagementStatus) {
        switch value {
        case .planned: self = .planned
        case .inProgress: self = .inProgress
        case .done: self = .done
        case .dropped: self = .dropped
        }
    }
}

extension EngagementStatus {
    init(_ value: Components.Schemas.EngagementStatus) {
        switch value {
        case .planned: self = .planned
        case .inProgress: self = .inProgress
        case .done: self = .done
        case .dropped: self = .dropped
        }
    }
}

extension Components.Schemas.EngagementSource {
    init(_ value: EngagementSource) {
        switch value {
        case .walk: self = .walk
        case .meeting: self = .meeting
        case .evaluation: self = .evaluation
        case .other: self = .other
        }
    }
}

extension EngagementSource {
    init(_ value: Components.Schemas.EngagementSource) {
        switch value {
        case .walk: self = .walk
        case .meeting: self = .meeting
        case .evaluation: self = .evaluation
        case .other: self = .other
        }
    }
}
