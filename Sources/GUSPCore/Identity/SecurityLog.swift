import Foundation
import SQLKit

/// What the security log records.
public enum SecurityEventKind: String, Sendable, CaseIterable {
    case loginSucceeded = "login_succeeded"
    case loginFailed = "login_failed"
    /// A login refused by the limits on guessing (per address or per email).
    case loginLimited = "login_limited"
    case passwordChanged = "password_changed"
    case roleChanged = "role_changed"
    case territoriesChanged = "territories_changed"
    case partnerChanged = "partner_changed"
    case userDeleted = "user_deleted"
    case apiKeyCreated = "api_key_created"
    case apiKeyRevoked = "api_key_revoked"
}

/// One entry: who did it (`actorId`, nil when anonymous), to which account or key, from which client
/// address, and what changed in words (role names, territory ids) — never a password, token or email.
public struct SecurityEvent: Sendable, Equatable {
    public var id: String
    public var kind: SecurityEventKind
    public var actorId: String?
    public var userId: String?
    public var apiKeyId: String?
    public var address: String?
    public var detail: String?
    public var occurredAt: Int64
}

/// The client address of the request being served, set by the HTTP layer, for the security log.
public enum RequestOrigin {
    @TaskLocal public static var address: String?
}

/// The admin's filters on the log.
public struct SecurityEventFilter: Sendable {
    public var kind: SecurityEventKind?
    public var userId: String?
    public var since: Date?

    public init(kind: SecurityEventKind? = nil, userId: String? = nil, since: Date? = nil) {
        self.kind = kind
        self.userId = userId
        self.since = since
    }
}

enum SecurityLog {
    /// Appends an entry in the caller's transaction (with the change it records).
    static func append(
        _ db: any SQLDatabase, _ kind: SecurityEventKind, actorId: String?, userId: String? = nil, apiKeyId: String? = nil,
        detail: String? = nil, at now: Int64
    ) async throws {
        try await db.insert(into: "security_events")
            .columns("id", "kind", "actor_id", "user_id", "api_key_id", "address", "detail", "occurred_at")
            .values(
                SQLBind(Identifier.make("sec")), SQLBind(kind.rawValue), SQLBind(actorId), SQLBind(userId), SQLBind(apiKeyId),
                SQLBind(RequestOrigin.address), SQLBind(detail), SQLBind(now)
            )
            .run()
    }
}

extension Store {
    /// Records an entry on its own (a refused login, which writes nothing else).
    public func recordSecurityEvent(_ kind: SecurityEventKind, userId: String? = nil, detail: String? = nil) async throws {
        let now = nowMilliseconds
        try await database.write { db in try await SecurityLog.append(db, kind, actorId: nil, userId: userId, detail: detail, at: now) }
    }

    /// The log, oldest first, for admins only.
    public func securityEvents(_ filter: SecurityEventFilter, page: PageRequest, by actor: Actor) async throws -> Page<SecurityEvent> {
        try Permissions.requireRole(actor, .readSecurityLog)
        let rows = try await database.read { db in
            let query = db.select().column(SQLLiteral.all).from("security_events")
            if let kind = filter.kind { query.where("kind", .equal, kind.rawValue) }
            if let userId = filter.userId { query.where("user_id", .equal, userId) }
            if let since = filter.since { query.where("occurred_at", .greaterThanOrEqual, since.storedMilliseconds) }
            if let after = page.after {
                query.where {
                    $0.where("occurred_at", .greaterThan, after.createdAt)
                        .orWhere { $0.where("occurred_at", .equal, after.createdAt).where("id", .greaterThan, after.id) }
                }
            }
            return try await query.orderBy("occurred_at").orderBy("id").limit(page.limit + 1).all().map { row in
                SecurityEvent(
                    id: try row.decode(column: "id", as: String.self),
                    kind: SecurityEventKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .loginFailed,
                    actorId: try row.decode(column: "actor_id", as: String?.self), userId: try row.decode(column: "user_id", as: String?.self),
                    apiKeyId: try row.decode(column: "api_key_id", as: String?.self),
                    address: try row.decode(column: "address", as: String?.self), detail: try row.decode(column: "detail", as: String?.self),
                    occurredAt: try row.decode(column: "occurred_at", as: Int64.self))
            }
        }
        return Page(rows: rows, request: page) { PageCursor(createdAt: $0.occurredAt, id: $0.id) }
    }
}
