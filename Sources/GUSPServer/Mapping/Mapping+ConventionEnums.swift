import GUSPAPI
import GUSPCore

// Exhaustive conversions between the contract's enums and the domain's, for conventions and interventions: a case
// added on either side is a compile error here, never a crash at run time. The raw values are the same on both sides.

extension Components.Schemas.ConventionKind {
    init(_ value: ConventionKind) {
        switch value {
        case .gusp: self = .gusp
        case .atfpb: self = .atfpb
        }
    }
}

extension ConventionKind {
    init(_ value: Components.Schemas.ConventionKind) {
        switch value {
        case .gusp: self = .gusp
        case .atfpb: self = .atfpb
        }
    }
}

extension Components.Schemas.ConventionStatus {
    init(_ value: ConventionStatus) {
        switch value {
        case .draft: self = .draft
        case .signed: self = .signed
        case .active: self = .active
        case .expired: self = .expired
        case .terminated: self = .terminated
        }
    }
}

extension ConventionStatus {
    init(_ value: Components.Schemas.ConventionStatus) {
        switch value {
        case .draft: self = .draft
        case .signed: self = .signed
        case .active: self = .active
        case .expired: self = .expired
        case .terminated: self = .terminated
        }
    }
}

extension Components.Schemas.ActionSheetStatus {
    init(_ value: ActionSheetStatus) {
        switch value {
        case .planned: self = .planned
        case .inProgress: self = .inProgress
        case .done: self = .done
        case .abandoned: self = .abandoned
        }
    }
}

extension ActionSheetStatus {
    init(_ value: Components.Schemas.ActionSheetStatus) {
        switch value {
        case .planned: self = .planned
        case .inProgress: self = .inProgress
        case .done: self = .done
        case .abandoned: self = .abandoned
        }
    }
}

extension Components.Schemas.InterventionStatus {
    init(_ value: InterventionStatus) {
        switch value {
        case .planned: self = .planned
        case .inProgress: self = .inProgress
        case .done: self = .done
        case .cancelled: self = .cancelled
        }
    }
}

extension InterventionStatus {
    init(_ value: Components.Schemas.InterventionStatus) {
        switch value {
        case .planned: self = .planned
        case .inProgress: self = .inProgress
        case .done: self = .done
        case .cancelled: self = .cancelled
        }
    }
}

extension Components.Headers.UpsertOutcome {
    init(_ value: InterventionOutcome) {
        switch value {
        case .created: self = .created
        case .updated: self = .updated
        case .unchanged: self = .unchanged
        }
    }
}

extension Components.Schemas.InterventionBatchResult.OutcomePayload {
    init(_ value: InterventionOutcome) {
        switch value {
        case .created: self = .created
        case .updated: self = .updated
        case .unchanged: self = .unchanged
        }
    }
}

extension InterventionOutcome {
    init(_ value: Components.Headers.UpsertOutcome) {
        switch value {
        case .created: self = .created
        case .updated: self = .updated
        case .unchanged: self = .unchanged
        }
    }

    /// Nil for `error`: an item that was refused has no outcome.
    init?(_ value: Components.Schemas.InterventionBatchResult.OutcomePayload) {
        switch value {
        case .created: self = .created
        case .updated: self = .updated
        case .unchanged: self = .unchanged
        case .error: return nil
        }
    }
}
