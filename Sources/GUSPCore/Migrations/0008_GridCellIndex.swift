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
    /// `GroundDistance.cellRanges(in:)`, one range of cells per row of the grid).
    ///
    /// The new index is built before the old ones are dropped: on PostgreSQL the build lets reads go on
    /// (writes wait for it), and the drops' exclusive lock is taken only at the end, just before the
    /// migration commits. On a large database the build takes a while (about a minute per million
    /// signalements); SQLite does not give the old indexes' pages back to the file system (`VACUUM` does).
    static let gridCellIndex = Migration(8, "grid cell index") { db, _ in
        try await db.execute(statements: [
            "CREATE INDEX signalements_cell ON signalements (cell, created_at)",
            "DROP INDEX signalements_nearby",
            "DROP INDEX signalements_position",
        ])
    }
}
