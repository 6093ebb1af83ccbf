import GUSPAPI
import GUSPCore

// Exhaustive conversions between the contract's enums and the domain's, for escalations and webhook deliveries: a case
// added on either side is a compile error here, never a crash at run time. The raw values are the same on both sides.

extension Components.Schemas.Escalation.ReasonPayload {
    init(_ value: EscalationReason) {
        switch value {
        case .overdue: self = .overdue
        case .arbitration: self = .arbitration
        }
    }
}

extension EscalationReason {
    init(_ value: Components.Schemas.Escalation.ReasonPayload) {
        switch value {
        case .overdue: self = .overdue
        case .arbitration: self = .arbitration
        }
    }
}

extension Components.Schemas.Escalation.AudiencePayload {
    init(_ value: EscalationAudience) {
        switch value {
        case .partner: self = .partner
        case .coordinators: self = .coordinators
        case .elected: self = .elected
        }
    }
}

extension EscalationAudience {
    init(_ value: Components.Schemas.Escalation.AudiencePayload) {
        switch value {
        case .partner: self = .partner
        case .coordinators: self = .coordinators
        case .elected: self = .elected
        }
    }
}

extension Components.Schemas.WebhookDelivery.StatusPayload {
    init(_ value: WebhookDeliveryStatus) {
        switch value {
        case .pending: self = .pending
        case .delivered: self = .delivered
        case .failed: self = .failed
        }
    }
}

extension Operations.ListWebhookDeliveries.Input.Query.StatusPayload {
    init(_ value: WebhookDeliveryStatus) {
        switch value {
        case .pending: self = .pending
        case .delivered: self = .delivered
        case .failed: self = .failed
        }
    }
}

extension WebhookDeliveryStatus {
    init(_ value: Components.Schemas.WebhookDelivery.StatusPayload) {
        switch value {
        case .pending: self = .pending
        case .delivered: self = .delivered
        case .failed: self = .failed
        }
    }

    init(_ value: Operations.ListWebhookDeliveries.Input.Query.StatusPayload) {
        switch value {
        case .pending: self = .pending
        case .delivered: self = .delivered
        case .failed: self = .failed
        }
    }
}
