import SQLKit

extension Migration {
    /// Indicators at scale: what a signalement's past holds (reopened, arbitrated, recurring), the rollups
    /// per Paris day and month × category × territory × partner, the indexes for the figures read from
    /// the signalements themselves (the median, the backlog), then every existing row counted in.
    static let indicatorRollups = Migration(7, "indicator rollups") { db, _ in
        let open = SignalementStatus.open.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let measures = IndicatorMeasures.columns.map { "\($0) BIGINT NOT NULL DEFAULT 0" }.joined(separator: ",\n  ")
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
        // Recurrence, decided in filing order by pages (the grid keeps 90 days of filings, not all of them).
        var grid = Recurrence.Grid()
        var after: (createdAt: Int64, id: String) = (.min, "")
        while true {
            let rows = try await db.select().columns("id", "category_id", "lat", "long", "created_at").from("signalements")
                .where("lat", .isNot, SQLLiteral.null)
                .where { group in
                    group.where("created_at", .greaterThan, after.createdAt)
                        .orWhere { $0.where("created_at", .equal, after.createdAt).where("id", .greaterThan, after.id) }
                }
                .orderBy("created_at").orderBy("id").limit(10_000).all()
            guard !rows.isEmpty else { break }
            var recurring: [String] = []
            for row in rows {
                let filing = Recurrence.Filing(
                    id: try row.decode(column: "id", as: String.self), categoryId: try row.decode(column: "category_id", as: String.self),
                    location: Position(long: try row.decode(column: "long", as: Double.self), lat: try row.decode(column: "lat", as: Double.self)),
                    filedAt: try row.decode(column: "created_at", as: Int64.self))
                if grid.file(filing) { recurring.append(filing.id) }
                after = (filing.filedAt, filing.id)
            }
            for chunk in stride(from: 0, to: recurring.count, by: 500).map({ recurring[$0..<min($0 + 500, recurring.count)] }) {
                try await db.update("signalements").set("recurring", to: 1).where("id", .in, Array(chunk)).run()
            }
        }
        try await IndicatorRollups.rebuild(db)
    }
}
