import GUSPDatabase

/// Group commit for filings. Each filing is placed, routed and checked for duplicates by its own
/// request, which also describes the rows it writes (`FilingRows`); the rows wait in a `GroupCommit`
/// and go with whichever other filings are waiting into one transaction: on SQLite one job of the
/// direct writer (`DirectSQLite`), on PostgreSQL one multi-row insert per table through SQLKit.
struct IntakeBatcher: Sendable {
    static let maximumBatch = 200
    private let group: GroupCommit<FilingRows>

    init(database: any Database) {
        group = GroupCommit(database: database, maximumBatch: Self.maximumBatch, write: Self.write)
    }

    /// Returns once the filing's rows have committed.
    func commit(_ rows: FilingRows) async throws {
        try await group.commit(rows)
    }

    /// One transaction for `filings`: on SQLite through the direct writer (one job, prepared
    /// statements), on PostgreSQL through SQLKit.
    @Sendable static func write(_ filings: [FilingRows], _ database: any Database) async throws {
        if let sqlite = database as? SQLiteEngine {
            try await sqlite.writeDirectly { db in try FilingRows.insert(filings, db) }
        } else {
            try await database.write { db in try await FilingRows.insert(filings, db) }
        }
    }
}
