import GUSPAPI
import GUSPCore

// Exhaustive conversions between the contract's enums and the domain's, for signalements and their comments: a case
// added on either side is a compile error here, never a crash at run time. The raw values are the same on both sides.

extension Components.Schemas.SignalementStatus {
    init(_ value: SignalementStatus) {
        switch value {
        case .submitted: self = .submitted
        case .acknowledged: self = .acknowledged
        case .assigned: self = .assigned
        case .inProgress: self = .inProgress
        case .resolved: self = .resolved
        case .closed: self = .closed
        case .rejected: self = .rejected
        case .duplicate: self = .duplicate
        case .reopened: self = .reopened
        case .needsArbitration: self = .needsArbitration
        }
    }
}

extension SignalementStatus {
    init(_ value: Components.Schemas.SignalementStatus) {
        switch value {
        case .submitted: self = .submitted
        case .acknowledged: self = .acknowledged
        case .assigned: self = .assigned
        case .inProgress: self = .inProgress
        case .resolved: self = .resolved
        case .closed: self = .closed
        case .rejected: self = .rejected
        case .duplicate: self = .duplicate
        case .reopened: self = .reopened
        case .needsArbitration: self = .needsArbitration
        }
    }
}

extension Components.Schemas.SignalementChannel {
    init(_ value: SignalementChannel) {
        switch value {
        case .app: self = .app
        case .phone: self = .phone
        case .agent: self = .agent
        case .walk: self = .walk
        case .partnerAPI: self = .partnerApi
        case .open311: self = .open311
        }
    }
}

extension SignalementChannel {
    init(_ value: Components.Schemas.SignalementChannel) {
        switch value {
        case .app: self = .app
        case .phone: self = .phone
        case .agent: self = .agent
        case .walk: self = .walk
        case .partnerApi: self = .partnerAPI
        case .open311: self = .open311
        }
    }
}

extension Components.Schemas.SignalementPriority {
    init(_ value: SignalementPriority) {
        switch value {
        case .normal: self = .normal
        case .high: self = .high
        case .urgent: self = .urgent
        }
    }
}

extension SignalementPriority {
    init(_ value: Components.Schemas.SignalementPriority) {
        switch value {
        case .normal: self = .normal
        case .high: self = .high
        case .urgent: self = .urgent
        }
    }
}

extension Components.Schemas.CommentVisibility {
    init(_ value: CommentVisibility) {
        switch value {
        case .public: self = ._public
        case .internal: self = ._internal
        }
    }
}

extension CommentVisibility {
    init(_ value: Components.Schemas.CommentVisibility) {
        switch value {
        case ._public: self = .public
        case ._internal: self = .internal
        }
    }
}
