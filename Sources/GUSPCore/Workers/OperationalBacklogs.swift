import GUSPDatabase
import SQLKit

/// What is waiting in the database, whichever instance will do it: read at each `/metrics` scrape,
/// so that every instance reports the same shared backlog.
public struct OperationalBacklogs: Sendable, Equatable {
    /// Outbox events not yet turned into deliveries.
    public var outboxPending = 0
    /// Webhook deliveries by status (`pending`, `failed`; delivered ones are not counted).
    public var deliveries: [String: Int] = [:]
    /// Pending deliveries whose next attempt is due now.
    public var deliveriesDue = 0
    /// Unacknowledged escalations by level, and those past their own due time.
    public var escalationsOpen: [Int: Int] = [:]
    public var escalationsDue = 0
    /// Messages to residents by status (`pending`, `failed`…).
    public var notifications: [String: Int] = [:]
    /// Connections of this database in use now, by state (PostgreSQL: `pg_stat_activity`).
    public var serverConnections: [String: Int] = [:]
}

extension Store {
    public func operationalBacklogs() async throws -> OperationalBacklogs {
        let now = clock.now().storedMilliseconds
        let engine = database.engine
        return try await database.read { db in
            var backlogs = OperationalBacklogs()
            func counts(_ sql: SQLQueryString) async throws -> [(String, Int)] {
                try await db.raw(sql).all().map { (try $0.decode(column: "k", as: String.self), try $0.decode(column: "n", as: Int.self)) }
            }
            backlogs.outboxPending =
                try await db.raw("SELECT COUNT(*) AS n FROM outbox WHERE dispatched_at IS NULL").first()?
                .decode(column: "n", as: Int.self) ?? 0
            for (status, n) in try await counts(
                "SELECT status AS k, COUNT(*) AS n FROM webhook_deliveries WHERE status <> 'delivered' GROUP BY status")
            {
                backlogs.deliveries[status] = n
            }
            backlogs.deliveriesDue =
                try await db.raw(
                    "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= \(bind: now)"
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            for row in try await db.raw("SELECT level, COUNT(*) AS n FROM escalations WHERE acknowledged_at IS NULL GROUP BY level").all() {
                backlogs.escalationsOpen[try row.decode(column: "level", as: Int.self)] = try row.decode(column: "n", as: Int.self)
            }
            backlogs.escalationsDue =
                try await db.raw(
                    "SELECT COUNT(*) AS n FROM escalations WHERE acknowledged_at IS NULL AND due_at IS NOT NULL AND due_at <= \(bind: now)"
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            for (status, n) in try await counts("SELECT status AS k, COUNT(*) AS n FROM notifications WHERE status <> 'sent' GROUP BY status") {
                backlogs.notifications[status] = n
            }
            if engine == .postgres {
                for (state, n) in try await counts(
                    "SELECT COALESCE(state, 'unknown') AS k, COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() GROUP BY state")
                {
                    backlogs.serverConnections[state] = n
                }
            }
            return backlogs
        }
    }
}
