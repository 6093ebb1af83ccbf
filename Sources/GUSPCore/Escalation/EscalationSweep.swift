import Foundation
import SQLKit

/// What one sweep did.
public struct SweepResult: Sendable, Equatable {
    /// Signalements whose next escalation time had come.
    public var examined: Int
    /// Escalations recorded (each level of each cycle of a signalement at most once).
    public var escalated: Int

    public init(examined: Int, escalated: Int) {
        self.examined = examined
        self.escalated = escalated
    }
}

extension Store {
    /// Escalates the signalements whose next escalation time has come, at most `limit` of them, in one
    /// transaction: for each, the escalation row, an event and an outbox message, and the next time.
    /// Rows come from the index on `next_escalation_at`, so a sweep costs what is due, not what is open.
    /// On PostgreSQL the rows are claimed `FOR UPDATE SKIP LOCKED`: several workers share the work and a
    /// level cannot be recorded twice (the unique key on signalement, cycle, level and reason makes sure of it).
    public func sweepEscalations(limit: Int = 500) async throws -> SweepResult {
        let now = nowMilliseconds
        let policy = settings.escalation
        let reference = try await referenceSnapshot()
        let skipLocked = database.engine == .postgres
        return try await database.write { db in
            var query = SQLQueryString(
                """
                SELECT id, status, category_id, partner_id, territory_id, due_at, created_at, escalation_level, escalation_cycle,
                       escalation_due_at
                FROM signalements WHERE next_escalation_at <= \(bind: now) ORDER BY next_escalation_at LIMIT \(bind: limit)
                """)
            if skipLocked { query.appendLiteral(" FOR UPDATE SKIP LOCKED") }
            let rows = try await db.raw(query).all()
            guard !rows.isEmpty else { return SweepResult(examined: 0, escalated: 0) }
            let today = reference.conventions.isEmpty ? "" : LandParcel.day(of: Date(storedMilliseconds: now))
            // `level`: the overdue track's new level (nil for an arbitration escalation, which leaves it as it is).
            var planned: [(escalation: Escalation, level: Int?, next: Int64?)] = []
            var stopped: [String] = []
            var categoryOf: [String: String] = [:]
            for row in rows {
                let id = try row.decode(column: "id", as: String.self)
                categoryOf[id] = try row.decode(column: "category_id", as: String.self)
                let status = SignalementStatus(rawValue: try row.decode(column: "status", as: String.self))
                let level = try row.decode(column: "escalation_level", as: Int.self)
                let cycle = try row.decode(column: "escalation_cycle", as: Int.self)
                let partnerId = try row.decode(column: "partner_id", as: String?.self)
                let territoryId = try row.decode(column: "territory_id", as: String?.self)
                let dueAt = try row.decode(column: "due_at", as: Int64?.self)
                let escalationDue = try row.decode(column: "escalation_due_at", as: Int64?.self)
                func escalation(_ level: Int, _ reason: EscalationReason) -> Escalation {
                    Escalation(
                        id: Identifier.make("esc"), signalementId: id, cycle: cycle, level: level, reason: reason,
                        audience: reason == .arbitration ? .coordinators : .of(level: level), partnerId: partnerId,
                        territoryId: territoryId, dueAt: escalationDue, createdAt: now)
                }
                switch status {
                case .needsArbitration:
                    planned.append((escalation(EscalationAudience.coordinatorsLevel, .arbitration), nil, nil))
                case .submitted, .acknowledged, .assigned, .inProgress, .reopened:
                    guard level < EscalationSchedule.topLevel, let escalationDue, let dueAt else {
                        stopped.append(id)
                        continue
                    }
                    let createdAt = try row.decode(column: "created_at", as: Int64.self)
                    let chain = reference.categoryChain(try row.decode(column: "category_id", as: String.self))
                    let applied = ServiceCommitments.applicable(
                        chain, territoryId: territoryId, partnerId: partnerId, on: today,
                        reference: reference)
                    let fractions = applied?.conventionId.flatMap { conventionId in
                        reference.conventions.first { $0.id == conventionId }?.escalation
                    }
                    var levelPolicy = policy
                    if let fractions {
                        levelPolicy.level2After = fractions.level2After
                        levelPolicy.level3After = fractions.level3After
                    }
                    let next = EscalationSchedule.nextLevelTime(
                        after: level + 1, dueAt: escalationDue, delay: max(0, dueAt - createdAt),
                        policy: levelPolicy)
                    planned.append((escalation(level + 1, .overdue), level + 1, next))
                default:
                    stopped.append(id)
                }
            }
            var recorded = Set<String>()
            if !planned.isEmpty {
                let insert = db.insert(into: "escalations")
                    .columns("id", "signalement_id", "cycle", "level", "reason", "audience", "partner_id", "territory_id", "due_at", "created_at")
                for (escalation, _, _) in planned {
                    insert.values(
                        SQLBind(escalation.id), SQLBind(escalation.signalementId), SQLBind(escalation.cycle), SQLBind(escalation.level),
                        SQLBind(escalation.reason.rawValue), SQLBind(escalation.audience.rawValue), SQLBind(escalation.partnerId),
                        SQLBind(escalation.territoryId), SQLBind(escalation.dueAt), SQLBind(escalation.createdAt))
                }
                recorded = Set(try await insert.ignoringConflicts().returning("id").all().map { try $0.decode(column: "id", as: String.self) })
            }
            let fired = planned.filter { recorded.contains($0.escalation.id) }
            var counted: [IndicatorCell: IndicatorMeasures] = [:]
            for item in fired {
                let cell = IndicatorCell(
                    day: ParisPeriods.day(ofMilliseconds: now), categoryId: categoryOf[item.escalation.signalementId]!,
                    territoryId: item.escalation.territoryId ?? "", partnerId: item.escalation.partnerId ?? "")
                counted[cell, default: .init()] += IndicatorMeasures.escalation(level: item.escalation.level)
            }
            try await IndicatorRollups.add(counted, db)
            try await EventLog.insert(
                fired.map { item in
                    Event(
                        id: Identifier.make("evt"), resourceType: .signalement, resourceId: item.escalation.signalementId, action: "escalated",
                        actorId: nil, actorRole: nil, changes: [], occurredAt: now,
                        note: "level \(item.escalation.level) (\(item.escalation.reason.rawValue)) to the \(item.escalation.audience.rawValue)")
                }, db)
            try await Outbox.append(
                fired.map { item in
                    OutboxMessage(
                        .signalementEscalated, .signalement, item.escalation.signalementId, partners: [item.escalation.partnerId],
                        data: [
                            "signalement_id": .text(item.escalation.signalementId), "escalation_id": .text(item.escalation.id),
                            "level": .number(Int64(item.escalation.level)), "reason": .text(item.escalation.reason.rawValue),
                            "audience": .text(item.escalation.audience.rawValue), "territory_id": .optional(item.escalation.territoryId),
                        ], at: now)
                }, db)
            // One statement moves every examined row to its next time (or none).
            var updates: [(id: String, level: Int?, next: Int64?)] = planned.map { ($0.escalation.signalementId, $0.level, $0.next) }
            updates += stopped.map { ($0, nil, nil) }
            // (A CASE over every id would cost each row a walk of every branch.)
            var values: SQLQueryString = ""
            for (index, update) in updates.enumerated() {
                values += index == 0 ? "(" : ", ("
                values += "\(bind: update.id), \(bind: update.level), \(bind: update.next))"
            }
            try await db.raw(
                """
                UPDATE signalements SET escalation_level = COALESCE(CAST(v.column2 AS BIGINT), signalements.escalation_level),
                       next_escalation_at = CAST(v.column3 AS BIGINT)
                FROM (VALUES \(values)) AS v WHERE signalements.id = v.column1
                """
            ).run()
            return SweepResult(examined: rows.count, escalated: fired.count)
        }
    }
}

extension EscalationAudience {
    /// The level an arbitration escalation is recorded at (the coordinators').
    package static let coordinatorsLevel = 2
}
