import SQLKit

extension Migration {
    /// Indicators at scale: what a signalement's past holds (reopened, arbitrated, recurring), the rollups
    /// per Paris day and month × category × territory × partner, the indexes for the figures read from
    /// the signalements themselves (the median, the backlog). The existing rows' recurrence and their
    /// rollups are derived data, computed after the migrations by the code of the day (`DerivedData`).
    ///
    /// Frozen: the open states and the measures are written out as they stood when it shipped, not read
    /// from `SignalementStatus` and `IndicatorMeasures`, which may change later.
    static let indicatorRollups = Migration(7, "indicator rollups", rebuilds: [.recurrence, .indicatorRollups]) { db, _ in
        let open = "'submitted', 'acknowledged', 'assigned', 'in_progress', 'reopened', 'needs_arbitration'"
        let measures = [
            "received", "resolved", "resolution_ms", "judged", "within_commitment", "reopened", "rejected", "duplicates",
            "arbitrated", "recurring", "escalations_1", "escalations_2", "escalations_3",
        ].map { "\($0) BIGINT NOT NULL DEFAULT 0" }.joined(separator: ",\n  ")
        try await db.execute(statements: [
            "ALTER TABLE signalements ADD COLUMN reopened BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE signalements ADD COLUMN arbitrated BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE signalements ADD COLUMN recurring BIGINT NOT NULL DEFAULT 0",
            """
            UPDATE signalements SET reopened = 1 WHERE id IN (
              SELECT resource_id FROM events WHERE resource_type = 'signalement' AND to_status = 'reopened')
            """,
            """
            UPDATE signalements SET arbitrated = 1 WHERE status = 'needs_arbitration' OR id IN (
              SELECT resource_id FROM events WHERE resource_type = 'signalement' AND to_status = 'needs_arbitration')
            """,
            """
            CREATE TABLE indicator_rollups (
              grain TEXT NOT NULL,
              period TEXT NOT NULL,
              category_id TEXT NOT NULL,
              territory_id TEXT NOT NULL,
              partner_id TEXT NOT NULL,
              \(measures),
              PRIMARY KEY (grain, period, territory_id, partner_id, category_id))
            """,
            """
            CREATE INDEX signalements_resolution ON signalements (resolved_at, territory_id, partner_id, category_id, created_at, due_at)
            WHERE resolved_at IS NOT NULL
            """,
            "CREATE INDEX signalements_backlog ON signalements (territory_id, partner_id, category_id, due_at) WHERE status IN (\(open))",
        ])
    }
}
