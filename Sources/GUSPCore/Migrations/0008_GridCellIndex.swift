extension Migration {
    /// One narrow index for every "where" question, in place of two: `signalements_nearby` (category,
    /// grid cell and five more columns, so that duplicates and recurrence read nothing else) and
    /// `signalements_position` (latitude, longitude, for bounding boxes).
    ///
    /// Both indexes put each filing at a random place, so each filing dirtied two random pages, the
    /// wider one splitting every few inserts; under a busy intake on SQLite those pages, written to the
    /// WAL and copied back at each checkpoint, were most of the one writer's work. A grid cell and a
    /// time (`signalements_cell`) answer the same questions: duplicates and recurrence ask a few cells
    /// since a time and check the few rows found; a small bounding box asks the cells it covers (see
    /// `GroundDistance.cells(in:)`); a large one walks the creation order, as it did.
    static let gridCellIndex = Migration(8, "grid cell index") { db, _ in
        try await db.execute(statements: [
            "DROP INDEX signalements_nearby",
            "DROP INDEX signalements_position",
            "CREATE INDEX signalements_cell ON signalements (cell, created_at)",
        ])
    }
}
