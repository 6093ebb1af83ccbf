import SQLKit

extension Recurrence {
    /// Marks as recurring every stored signalement that recurs, decided in filing order by pages (the
    /// grid keeps 90 days of filings, not all of them). Only sets the flag: run again, it changes nothing.
    /// Run after the migration that added the flag (see `DerivedData`).
    static func backfill(_ db: any SQLDatabase) async throws {
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
    }
}
