import Foundation
import SQLKit

struct WebhookSubscriptionRow: Decodable {
    var id: String, partnerId: String?, url: String, eventTypes: String, secret: String, description: String?, active: Int
    var version: Int, createdAt: Int64, updatedAt: Int64

    var subscription: WebhookSubscription {
        WebhookSubscription(
            id: id, partnerId: partnerId, url: url,
            eventTypes: (try? JSONDecoder().decode([String].self, from: Data(eventTypes.utf8))) ?? [],
            description: description, active: active != 0, version: version, createdAt: createdAt, updatedAt: updatedAt)
    }
}

/// A subscription just created, with its secret (shown this once).
public struct CreatedWebhookSubscription: Sendable {
    public var subscription: WebhookSubscription
    public var secret: String
}

extension Store {
    public func webhookSubscriptions(page: PageRequest, by actor: Actor) async throws -> Page<WebhookSubscription> {
        try Permissions.requireRole(actor, .manageWebhooks)
        return try await database.read { db in
            let query = db.select().column(SQLLiteral.all).from("webhook_subscriptions")
            if actor.role != .admin {
                guard let partner = actor.partnerId else { return Page(items: [], nextCursor: nil) }
                query.where("partner_id", .equal, partner)
            }
            let rows = try await query.paged(page, table: "webhook_subscriptions")
                .all(decoding: WebhookSubscriptionRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            return Page(rows: rows.map(\.subscription), request: page) { PageCursor(createdAt: $0.createdAt, id: $0.id) }
        }
    }

    public func webhookSubscription(_ id: String, by actor: Actor) async throws -> WebhookSubscription {
        try Permissions.requireRole(actor, .manageWebhooks)
        return try await database.read { db in try await Self.visibleSubscription(id, actor, db).subscription }
    }

    /// A partner's staff or system subscribes for its partner; an admin for a partner or, without one, for everything.
    public func createWebhookSubscription(_ new: NewWebhookSubscription, by actor: Actor) async throws -> CreatedWebhookSubscription {
        try Permissions.requireRole(actor, .manageWebhooks)
        let partnerId = actor.role == .admin ? new.partnerId : (new.partnerId ?? actor.partnerId)
        if actor.role != .admin, partnerId != actor.partnerId {
            throw DomainError.forbidden("a partner subscribes for itself only")
        }
        try await Self.checkSubscription(
            url: new.url, eventTypes: new.eventTypes, description: new.description,
            allowPrivate: settings.webhooksAllowPrivate)
        let now = nowMilliseconds
        let secret = StandardWebhooks.newSecret()
        let subscription = WebhookSubscription(
            id: Identifier.make("whs"), partnerId: partnerId, url: new.url, eventTypes: Self.sortedTypes(new.eventTypes),
            description: new.description?.trimmingWhitespace, active: true, version: 1,
            createdAt: now, updatedAt: now)
        try await database.write { db in
            if let partnerId, try await Self.loadPartner(partnerId, db) == nil {
                throw ValidationFailure(field: "partner_id", message: "is not a known partner")
            }
            try await db.insert(into: "webhook_subscriptions")
                .columns(
                    "id", "partner_id", "url", "event_types", "secret", "description", "active", "version", "created_by", "created_at", "updated_at"
                )
                .values(
                    SQLBind(subscription.id), SQLBind(partnerId), SQLBind(subscription.url), SQLBind(try Self.json(subscription.eventTypes)),
                    SQLBind(secret), SQLBind(subscription.description), SQLBind(1), SQLBind(1), SQLBind(actor.id), SQLBind(now), SQLBind(now)
                )
                .run()
        }
        return CreatedWebhookSubscription(subscription: subscription, secret: secret)
    }

    public func updateWebhookSubscription(
        _ id: String, _ changes: WebhookSubscriptionChanges, ifVersion: Int?,
        by actor: Actor
    ) async throws -> WebhookSubscription {
        try Permissions.requireRole(actor, .manageWebhooks)
        let allowPrivate = settings.webhooksAllowPrivate
        let now = nowMilliseconds
        // The target is resolved before the transaction (a DNS lookup must not hold the writer).
        if let url = changes.url { try await WebhookTarget.check(url, allowPrivate: allowPrivate) }
        return try await database.write { db in
            var subscription = try await Self.visibleSubscription(id, actor, db, forUpdate: true).subscription
            if let expected = ifVersion, expected != subscription.version { throw DomainError.versionMismatch(current: subscription.version) }
            try await Self.checkSubscription(
                url: changes.url ?? subscription.url, eventTypes: changes.eventTypes ?? subscription.eventTypes,
                description: changes.description ?? nil, allowPrivate: true, lookUp: false)
            if let url = changes.url { subscription.url = url }
            if let types = changes.eventTypes { subscription.eventTypes = Self.sortedTypes(types) }
            if let description = changes.description { subscription.description = description?.trimmingWhitespace }
            if let active = changes.active { subscription.active = active }
            subscription.version += 1
            subscription.updatedAt = now
            try await db.update("webhook_subscriptions").set("url", to: subscription.url)
                .set("event_types", to: try Self.json(subscription.eventTypes)).set("description", to: subscription.description)
                .set("active", to: subscription.active ? 1 : 0).set("version", to: subscription.version).set("updated_at", to: now)
                .where("id", .equal, id).run()
            return subscription
        }
    }

    public func deleteWebhookSubscription(_ id: String, by actor: Actor) async throws {
        try Permissions.requireRole(actor, .manageWebhooks)
        try await database.write { db in
            _ = try await Self.visibleSubscription(id, actor, db, forUpdate: true)
            try await db.delete(from: "webhook_subscriptions").where("id", .equal, id).run()
        }
    }

    /// A subscription's deliveries, newest first, each with its attempts.
    public func webhookDeliveries(
        subscriptionId: String, status: WebhookDeliveryStatus?, page: PageRequest,
        by actor: Actor
    ) async throws -> Page<WebhookDelivery> {
        try Permissions.requireRole(actor, .manageWebhooks)
        return try await database.read { db in
            _ = try await Self.visibleSubscription(subscriptionId, actor, db)
            let query = db.select().column(SQLLiteral.all).from("webhook_deliveries").where("subscription_id", .equal, subscriptionId)
            if let status { query.where("status", .equal, status.rawValue) }
            let rows = try await query.paged(page, table: "webhook_deliveries").all()
            return Page(rows: try await Self.deliveries(rows, db), request: page) { PageCursor(createdAt: $0.createdAt, id: $0.id) }
        }
    }

    /// Sends a delivery again (delivered or failed): it goes back to pending, due now, its attempts kept.
    public func replayWebhookDelivery(_ id: String, by actor: Actor) async throws -> WebhookDelivery {
        try Permissions.requireRole(actor, .manageWebhooks)
        let now = nowMilliseconds
        return try await database.write { db in
            guard let row = try await db.select().column(SQLLiteral.all).from("webhook_deliveries").where("id", .equal, id).for(.update).first()
            else { throw DomainError.notFound("delivery not found") }
            _ = try await Self.visibleSubscription(try row.decode(column: "subscription_id", as: String.self), actor, db)
            if try row.decode(column: "status", as: String.self) == WebhookDeliveryStatus.pending.rawValue {
                throw DomainError.conflict("the delivery is still pending; it will be sent")
            }
            try await db.update("webhook_deliveries").set("status", to: WebhookDeliveryStatus.pending.rawValue).set("next_attempt_at", to: now)
                .set("retry_from", to: now).set(SQLIdentifier("lease_owner"), to: SQLLiteral.null).set("updated_at", to: now)
                .where("id", .equal, id).run()
            let updated = try await db.select().column(SQLLiteral.all).from("webhook_deliveries").where("id", .equal, id).all()
            return try await Self.deliveries(updated, db)[0]
        }
    }

    static func visibleSubscription(
        _ id: String, _ actor: Actor, _ db: any SQLDatabase, forUpdate: Bool = false
    ) async throws -> WebhookSubscriptionRow {
        let query = db.select().column(SQLLiteral.all).from("webhook_subscriptions").where("id", .equal, id)
        if forUpdate { query.for(.update) }
        guard let row = try await query.first(decoding: WebhookSubscriptionRow.self, keyDecodingStrategy: .convertFromSnakeCase),
            actor.role == .admin || (row.partnerId != nil && row.partnerId == actor.partnerId)
        else {
            throw DomainError.notFound("webhook subscription not found")
        }
        return row
    }

    static func deliveries(_ rows: [any SQLRow], _ db: any SQLDatabase) async throws -> [WebhookDelivery] {
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.decode(column: "id", as: String.self) }
        var attempts: [String: [WebhookDelivery.Attempt]] = [:]
        for row in try await db.select().column(SQLLiteral.all).from("webhook_attempts").where("delivery_id", .in, ids).orderBy("number").all() {
            attempts[try row.decode(column: "delivery_id", as: String.self), default: []].append(
                WebhookDelivery.Attempt(
                    number: try row.decode(column: "number", as: Int.self), attemptedAt: try row.decode(column: "attempted_at", as: Int64.self),
                    statusCode: try row.decode(column: "status_code", as: Int?.self), error: try row.decode(column: "error", as: String?.self),
                    durationMilliseconds: try row.decode(column: "duration_ms", as: Int.self)))
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: String.self)
            return WebhookDelivery(
                id: id, subscriptionId: try row.decode(column: "subscription_id", as: String.self),
                outboxId: try row.decode(column: "outbox_id", as: String.self), eventType: try row.decode(column: "event_type", as: String.self),
                status: WebhookDeliveryStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
                attempts: try row.decode(column: "attempts", as: Int.self), nextAttemptAt: try row.decode(column: "next_attempt_at", as: Int64?.self),
                lastStatusCode: try row.decode(column: "last_status_code", as: Int?.self),
                lastError: try row.decode(column: "last_error", as: String?.self),
                createdAt: try row.decode(column: "created_at", as: Int64.self), deliveredAt: try row.decode(column: "delivered_at", as: Int64?.self),
                attemptLog: attempts[id] ?? [])
        }
    }

    /// The subscription's fields, every failure listed; `lookUp: false` checks the URL's form only (in a
    /// transaction, after the target was looked up outside it: a DNS lookup must not hold the writer).
    static func checkSubscription(
        url: String, eventTypes: [String], description: String?, allowPrivate: Bool,
        lookUp: Bool = true
    ) async throws(ValidationFailure) {
        var check = Validator()
        do throws(ValidationFailure) {
            if lookUp {
                try await WebhookTarget.check(url, allowPrivate: allowPrivate)
            } else {
                _ = try WebhookTarget.checkForm(url, allowPrivate: allowPrivate)
            }
        } catch {
            check.fail(error.errors[0].field, error.errors[0].message)
        }
        let known = Set(OutboxEventType.allCases.map(\.rawValue) + ["*"])
        if eventTypes.isEmpty { check.fail("event_types", "must name at least one event type (or *)") }
        let unknown = eventTypes.filter { !known.contains($0) }
        if !unknown.isEmpty { check.fail("event_types", "unknown event types: \(unknown.joined(separator: ", "))") }
        if let description { check.text(description, "description", maxLength: 500) }
        try check.throwIfFailed()
    }

    static func sortedTypes(_ types: [String]) -> [String] { Array(Set(types)).sorted() }

    static func json(_ values: [String]) throws -> String { String(decoding: try JSONEncoder().encode(values), as: UTF8.self) }
}
