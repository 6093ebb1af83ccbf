import Crypto
import Foundation

/// A partner's (or, without a partner, the whole deployment's) subscription to outbox events.
public struct WebhookSubscription: Sendable, Equatable {
    public var id: String
    /// nil: an admin's subscription, receiving every event.
    public var partnerId: String?
    public var url: String
    /// Event types (`signalement.created`…), or `*` for all.
    public var eventTypes: [String]
    public var description: String?
    public var active: Bool
    public var version: Int
    public var createdAt: Int64
    public var updatedAt: Int64

    public func wants(_ type: String) -> Bool { active && (eventTypes.contains("*") || eventTypes.contains(type)) }
}

public struct NewWebhookSubscription: Sendable {
    public var partnerId: String?
    public var url: String
    public var eventTypes: [String]
    public var description: String?

    public init(partnerId: String?, url: String, eventTypes: [String], description: String? = nil) {
        self.partnerId = partnerId
        self.url = url
        self.eventTypes = eventTypes
        self.description = description
    }
}

public struct WebhookSubscriptionChanges: Sendable {
    public var url: String?
    public var eventTypes: [String]?
    public var description: String??
    public var active: Bool?

    public init(url: String? = nil, eventTypes: [String]? = nil, description: String?? = nil, active: Bool? = nil) {
        self.url = url
        self.eventTypes = eventTypes
        self.description = description
        self.active = active
    }
}

public enum WebhookDeliveryStatus: String, Sendable, Codable, CaseIterable {
    case pending, delivered, failed
}

/// One event to one subscription, with its attempts.
public struct WebhookDelivery: Sendable, Equatable {
    public struct Attempt: Sendable, Equatable {
        public var number: Int
        public var attemptedAt: Int64
        public var statusCode: Int?
        public var error: String?
        public var durationMilliseconds: Int
    }

    public var id: String
    public var subscriptionId: String
    public var outboxId: String
    public var eventType: String
    public var status: WebhookDeliveryStatus
    public var attempts: Int
    public var nextAttemptAt: Int64?
    public var lastStatusCode: Int?
    public var lastError: String?
    public var createdAt: Int64
    public var deliveredAt: Int64?
    public var attemptLog: [Attempt]
}
