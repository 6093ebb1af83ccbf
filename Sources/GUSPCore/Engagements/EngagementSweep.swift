import Foundation
import SQLKit

extension Store {
    /// Escalates the open engagements whose next escalation time has come (at most `limit`), in one
    /// transaction, as `sweepEscalations` does for signalements: the escalation row (once per engagement,
    /// schedule and level: the unique key sees to it), an event, an outbox message, and the next time.
    /// Rows are claimed `FOR UPDATE SKIP LOCKED` on PostgreSQL so that several workers share them.
    public func sweepEngagementEscalations(limit: Int = 500) async throws -> SweepResult {
        let now = nowMilliseconds
        let policy = settings.escalation
        let skipLocked = database.engine == .postgres
        return try await database.write { db in
            var query = SQLQueryString(
                """
                SELECT id, status, territory_id, lead_partner_id, due_at, created_at, escalation_level, escalation_cycle
                FROM engagements WHERE next_escalation_at <= \(bind: now) ORDER BY next_escalation_at LIMIT \(bind: limit)
                """)
            if skipLocked { query.appendLiteral(" FOR UPDATE SKIP LOCKED") }
            let rows = try await db.raw(query).all()
            guard !rows.isEmpty else { return SweepResult(examined: 0, escalated: 0) }
            var escalated = 0
            for row in rows {
                let id = try row.decode(column: "id", as: String.self)
                let status = EngagementStatus(rawValue: try row.decode(column: "status", as: String.self))
                let level = try row.decode(column: "escalation_level", as: Int.self)
                let cycle = try row.decode(column: "escalation_cycle", as: Int.self)
                let dueAt = try row.decode(column: "due_at", as: Int64.self)
                guard status?.isOpen == true, level < EngagementSchedule.topLevel else {
                    try await db.update("engagements").set("next_escalation_at", to: SQLLiteral.null).where("id", .equal, id).run()
                    continue
                }
                let reached = level + 1
                let audience = EscalationAudience.of(level: reached)
                let partner = try row.decode(column: "lead_partner_id", as: String.self)
                let territory = try row.decode(column: "territory_id", as: String.self)
                let escalationId = Identifier.make("ees")
                let recorded = try await db.insert(into: "engagement_escalations")
                    .columns("id", "engagement_id", "cycle", "level", "audience", "partner_id", "territory_id", "due_at", "created_at")
                    .values(
                        SQLBind(escalationId), SQLBind(id), SQLBind(cycle), SQLBind(reached), SQLBind(audience.rawValue), SQLBind(partner),
                        SQLBind(territory), SQLBind(dueAt), SQLBind(now)
                    )
                    .ignoringConflicts().returning("id").all()
                let next = EngagementSchedule.nextLevelTime(
                    after: reached, dueAt: dueAt, createdAt: try row.decode(column: "created_at", as: Int64.self), policy: policy)
                try await db.update("engagements").set("escalation_level", to: reached).set("next_escalation_at", to: next)
                    .where("id", .equal, id).run()
                guard !recorded.isEmpty else { continue }
                escalated += 1
                try await EventLog.append(
                    db, .engagement, id, "escalated", actor: nil, note: "level \(reached) (overdue) to the \(audience.rawValue)", at: now)
                var partners = [partner]
                for other in try await db.select().column("partner_id").from("engagement_partners").where("engagement_id", .equal, id).all() {
                    partners.append(try other.decode(column: "partner_id", as: String.self))
                }
                try await Outbox.append(
                    [
                        OutboxMessage(
                            .engagementEscalated, .engagement, id, partners: partners,
                            data: [
                                "engagement_id": .text(id), "escalation_id": .text(escalationId), "level": .number(Int64(reached)),
                                "reason": .text(EscalationReason.overdue.rawValue), "audience": .text(audience.rawValue),
                                "territory_id": .text(territory), "lead_partner_id": .text(partner),
                            ], at: now)
                    ], db)
            }
            return SweepResult(examined: rows.count, escalated: escalated)
        }
    }
}
