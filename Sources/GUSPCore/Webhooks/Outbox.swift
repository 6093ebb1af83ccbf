import Foundation
import GUSPDatabase
import SQLKit

/// The kinds of notable change written to the outbox (and offered to webhook subscriptions).
public enum OutboxEventType: String, Sendable, CaseIterable {
    case signalementCreated = "signalement.created"
    case signalementAssigned = "signalement.assigned"
    case signalementStatusChanged = "signalement.status_changed"
    case signalementEscalated = "signalement.escalated"
    case signalementCommented = "signalement.commented"
    case interventionUpserted = "intervention.upserted"
    case conventionSigned = "convention.signed"
    case conventionAmended = "convention.amended"
    case engagementCreated = "engagement.created"
    case engagementUpdated = "engagement.updated"
    case engagementStatusChanged = "engagement.status_changed"
    case engagementEscalated = "engagement.escalated"
    case meetingScheduled = "meeting.scheduled"
    case meetingMinutesApproved = "meeting.minutes_approved"
}

/// One notable change, written in the transaction that makes it; the delivery worker sends it on.
/// Its data names resources and states, never a person or free text: a receiver reads the details
/// through the API with its own rights.
struct OutboxMessage: Sendable {
    var id: String
    var type: OutboxEventType
    var resourceType: ResourceType
    var resourceId: String
    /// The partners the change concerns (their subscriptions receive it; admins' receive everything).
    var partnerIds: [String]
    var data: [String: OutboxValue]
    var createdAt: Int64

    init(
        _ type: OutboxEventType, _ resourceType: ResourceType, _ resourceId: String, partners: [String?], data: [String: OutboxValue],
        at time: Int64
    ) {
        self.id = Identifier.make("msg")
        self.type = type
        self.resourceType = resourceType
        self.resourceId = resourceId
        self.partnerIds = Array(Set(partners.compactMap { $0 })).sorted()
        self.data = data
        self.createdAt = time
    }

    /// The webhook body: `{"data", "timestamp", "type"}` as the Standard Webhooks scheme suggests, keys
    /// sorted, written by hand (the escalation sweep writes a thousand at a time).
    var payload: String {
        var data = "{"
        for (index, key) in dataKeys.enumerated() {
            if index > 0 { data += "," }
            data += JSONText.string(key) + ":" + self.data[key]!.jsonText
        }
        data += "}"
        return "{\"data\":" + data + ",\"timestamp\":" + JSONText.string(RFC3339.string(from: createdAt))
            + ",\"type\":" + JSONText.string(type.rawValue) + "}"
    }

    private var dataKeys: [String] { data.keys.sorted() }
}

/// A value in an outbox message's data.
enum OutboxValue: Sendable {
    case text(String)
    case number(Int64)
    case flag(Bool)
    case absent

    static func optional(_ text: String?) -> OutboxValue { text.map(OutboxValue.text) ?? .absent }
    static func time(_ milliseconds: Int64?) -> OutboxValue { milliseconds.map { .text(RFC3339.string(from: $0)) } ?? .absent }

    var jsonText: String {
        switch self {
        case .text(let text): JSONText.string(text)
        case .number(let number): String(number)
        case .flag(let flag): flag ? "true" : "false"
        case .absent: "null"
        }
    }
}

/// The outbox holds what a subscription may receive: a change made while no subscription is active
/// writes no message (the dispatcher would only have marked it dispatched, a second write of every
/// filing for nothing). Whether one is active is read in the transaction that writes the change.
enum Outbox {
    static let anySubscriptionQuery = "SELECT 1 FROM webhook_subscriptions WHERE active = 1 LIMIT 1"

    static func anySubscription(_ db: any SQLDatabase) async throws -> Bool {
        try await db.raw(SQLQueryString(anySubscriptionQuery)).first() != nil
    }

    /// Writes messages inside the caller's transaction, in one statement, if a subscription is active.
    static func append(_ messages: [OutboxMessage], _ db: any SQLDatabase) async throws {
        guard !messages.isEmpty, try await anySubscription(db) else { return }
        try await rows(messages).insert(db)
    }

    static func rows(_ messages: [OutboxMessage]) -> TableRows {
        var rows = TableRows("outbox", ["id", "event_type", "resource_type", "resource_id", "partner_ids", "payload", "created_at"])
        for message in messages {
            let partners = "[" + message.partnerIds.map(JSONText.string).joined(separator: ",") + "]"
            rows.append([
                .text(message.id), .text(message.type.rawValue), .text(message.resourceType.rawValue),
                .text(message.resourceId), .text(partners), .text(message.payload), .integer(message.createdAt),
            ])
        }
        return rows
    }

    static func statusChanged(_ signalement: Signalement, from: SignalementStatus, at time: Int64, cause: String? = nil) -> OutboxMessage {
        OutboxMessage(
            .signalementStatusChanged, .signalement, signalement.id, partners: [signalement.partnerId],
            data: [
                "signalement_id": .text(signalement.id), "from": .text(from.rawValue), "to": .text(signalement.status.rawValue),
                "partner_id": .optional(signalement.partnerId), "territory_id": .optional(signalement.territoryId), "cause": .optional(cause),
            ], at: time)
    }
}
