import Foundation
import SQLKit

/// A delivery claimed by one worker (its lease), with what sending it needs.
public struct ClaimedDelivery: Sendable {
    public var id: String
    public var url: String
    public var secret: String
    public var payload: String
    public var attempts: Int
    public var retryFrom: Int64
}

extension Store {
    /// How many outbox messages one dispatch takes (the worker goes on at once when it took that many).
    public static let outboxSlice = 200
    /// How long a worker holds a claimed delivery before another may take it (a crashed worker's).
    static let deliveryLease: Int64 = 60_000
    /// Retries stop this long after the first attempt (or the replay), and the delivery is marked failed.
    static let deliveryRetryWindow: Int64 = 3 * 86_400_000

    /// Fans undispatched outbox messages out to the active subscriptions that want them: a partner's
    /// subscriptions receive what concerns that partner, an admin's (no partner) everything.
    public func dispatchOutbox(limit: Int = Store.outboxSlice) async throws -> Int {
        let now = nowMilliseconds
        let skipLocked = database.engine == .postgres
        return try await database.write { db in
            // Without any subscription, what waits is simply marked dispatched: only messages older than this
            // check, so that one committed with a subscription created meanwhile is kept; `limit` at a time,
            // oldest first, so that a busy intake's thousands a second never hold the writer for long.
            if try await !Outbox.anySubscription(db) {
                var waiting = SQLQueryString(
                    """
                    SELECT id FROM outbox WHERE dispatched_at IS NULL AND created_at < \(bind: now - 1_000) ORDER BY created_at, id LIMIT \(bind: limit)
                    """)
                if skipLocked { waiting += " FOR UPDATE SKIP LOCKED" }
                return try await db.raw("UPDATE outbox SET dispatched_at = \(bind: now) WHERE id IN (\(waiting)) RETURNING id").all().count
            }
            var query = SQLQueryString(
                """
                SELECT id, event_type, partner_ids, payload FROM outbox WHERE dispatched_at IS NULL ORDER BY created_at, id LIMIT \(bind: limit)
                """)
            if skipLocked { query += " FOR UPDATE SKIP LOCKED" }
            let messages = try await db.raw(query).all()
            guard !messages.isEmpty else { return 0 }
            let subscriptions = try await db.select().column(SQLLiteral.all).from("webhook_subscriptions").where("active", .equal, 1)
                .all(decoding: WebhookSubscriptionRow.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.subscription)
            let insert = db.insert(into: "webhook_deliveries")
                .columns(
                    "id", "subscription_id", "outbox_id", "event_type", "payload", "status", "attempts", "next_attempt_at", "retry_from",
                    "created_at", "updated_at")
            var deliveries = 0
            var ids: [String] = []
            for message in messages {
                let id = try message.decode(column: "id", as: String.self)
                ids.append(id)
                let type = try message.decode(column: "event_type", as: String.self)
                let partners = Set(
                    (try? JSONDecoder().decode([String].self, from: Data(try message.decode(column: "partner_ids", as: String.self).utf8))) ?? [])
                for subscription in subscriptions where subscription.wants(type) {
                    guard subscription.partnerId.map(partners.contains) ?? true else { continue }
                    insert.values(
                        SQLBind(Identifier.make("whd")), SQLBind(subscription.id), SQLBind(id), SQLBind(type),
                        SQLBind(try message.decode(column: "payload", as: String.self)), SQLBind(WebhookDeliveryStatus.pending.rawValue),
                        SQLBind(0), SQLBind(now), SQLBind(now), SQLBind(now), SQLBind(now))
                    deliveries += 1
                }
            }
            if deliveries > 0 { try await insert.ignoringConflicts().run() }
            try await db.update("outbox").set("dispatched_at", to: now).where("id", .in, ids).run()
            return messages.count
        }
    }

    /// Claims up to `limit` due deliveries for `owner` (a lease: another worker takes them over only once
    /// it expires). On PostgreSQL the rows are picked `FOR UPDATE SKIP LOCKED`.
    public func claimDeliveries(owner: String, limit: Int) async throws -> [ClaimedDelivery] {
        let now = nowMilliseconds
        let skipLocked = database.engine == .postgres
        // Most rounds find nothing to claim: that is known from a read (the claim's own conditions),
        // without taking the one writer.
        let claimable = SQLQueryString(
            """
            SELECT id FROM webhook_deliveries
            WHERE status = 'pending' AND next_attempt_at <= \(bind: now)
              AND (lease_expires_at IS NULL OR lease_expires_at <= \(bind: now))
              AND subscription_id IN (SELECT id FROM webhook_subscriptions WHERE active = 1)
            """)
        let due = try await database.read { db in try await db.raw(claimable + " LIMIT 1").first() }
        guard due != nil else { return [] }
        return try await database.write { db in
            var query = claimable + " ORDER BY next_attempt_at LIMIT \(bind: limit)"
            if skipLocked { query += " FOR UPDATE SKIP LOCKED" }
            let ids = try await db.raw(query).all().map { try $0.decode(column: "id", as: String.self) }
            guard !ids.isEmpty else { return [] }
            try await db.update("webhook_deliveries").set("lease_owner", to: owner).set("lease_expires_at", to: now + Self.deliveryLease)
                .where("id", .in, ids).run()
            return try await db.raw(
                """
                SELECT d.id, d.payload, d.attempts, d.retry_from, s.url, s.secret
                FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
                WHERE d.id IN (\(binds: ids))
                """
            ).all().map { row in
                ClaimedDelivery(
                    id: try row.decode(column: "id", as: String.self), url: try row.decode(column: "url", as: String.self),
                    secret: try row.decode(column: "secret", as: String.self), payload: try row.decode(column: "payload", as: String.self),
                    attempts: try row.decode(column: "attempts", as: Int.self),
                    retryFrom: try row.decode(column: "retry_from", as: Int64.self))
            }
        }
    }

    /// Records one attempt and its consequence, and releases the lease, in one transaction: delivered on a
    /// 2xx; otherwise retried after an exponential backoff with jitter, or failed past the retry window.
    public func recordAttempt(_ delivery: ClaimedDelivery, owner: String, statusCode: Int?, error: String?, startedAt: Int64) async throws {
        let now = nowMilliseconds
        let delivered = statusCode.map { (200...299).contains($0) } ?? false
        let number = delivery.attempts + 1
        let failedForGood = !delivered && now - delivery.retryFrom >= Self.deliveryRetryWindow
        let status: WebhookDeliveryStatus = delivered ? .delivered : failedForGood ? .failed : .pending
        let next: Int64? = status == .pending ? now + Self.backoff(afterAttempt: number) : nil
        try await database.write { db in
            // Only while the lease is still ours: a worker that lost it (too slow) records nothing.
            let updated = try await db.update("webhook_deliveries").set("attempts", to: number).set("status", to: status.rawValue)
                .set("next_attempt_at", to: next).set("last_status_code", to: statusCode).set("last_error", to: error.map { String($0.prefix(500)) })
                .set("delivered_at", to: delivered ? now : nil).set(SQLIdentifier("lease_owner"), to: SQLLiteral.null)
                .set(SQLIdentifier("lease_expires_at"), to: SQLLiteral.null).set("updated_at", to: now)
                .where("id", .equal, delivery.id).where("lease_owner", .equal, owner).returning("id").all()
            guard !updated.isEmpty else { return }
            try await db.insert(into: "webhook_attempts").columns("delivery_id", "number", "attempted_at", "status_code", "error", "duration_ms")
                .values(
                    SQLBind(delivery.id), SQLBind(number), SQLBind(startedAt), SQLBind(statusCode), SQLBind(error.map { String($0.prefix(500)) }),
                    SQLBind(max(0, now - startedAt))
                )
                .run()
        }
    }

    /// Gives back what `owner` claimed and did not send (a graceful stop): others take it at once.
    public func releaseDeliveries(owner: String) async throws {
        try await database.write { db in
            try await db.update("webhook_deliveries").set(SQLIdentifier("lease_owner"), to: SQLLiteral.null)
                .set(SQLIdentifier("lease_expires_at"), to: SQLLiteral.null).where("lease_owner", .equal, owner).run()
        }
    }

    /// 30 s doubling per attempt, at most 6 h, ± 20 % so that retries of many deliveries spread out.
    static func backoff(afterAttempt attempt: Int) -> Int64 {
        let base = min(30_000.0 * pow(2.0, Double(max(0, attempt - 1))), 6 * 3_600_000.0)
        return Int64(base * Double.random(in: 0.8...1.2))
    }
}
