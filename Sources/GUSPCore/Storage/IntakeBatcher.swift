import SQLKit

/// Group commit for filings. Each filing is placed, routed and checked for duplicates by its own
/// request, which also describes the rows it writes (`FilingRows`); the rows wait here and go with
/// whichever other filings are waiting into one transaction: on SQLite one job of the direct writer
/// (`DirectSQLite`), on PostgreSQL one multi-row insert per table through SQLKit. With one writer
/// (SQLite), N filings cost one commit instead of N, which is where intake throughput comes from.
/// A caller returns once its batch has committed. If a batch fails, its filings are retried one by
/// one, so a bad one fails alone.
actor IntakeBatcher {
    private let database: any Database
    private var pending: [(rows: FilingRows, done: CheckedContinuation<Void, any Error>)] = []
    private var flushing = false
    static let maximumBatch = 200

    init(database: any Database) {
        self.database = database
    }

    func commit(_ rows: FilingRows) async throws {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((rows, continuation))
            if !flushing {
                flushing = true
                // On SQLite the loop runs on the direct writer's thread: the writer is the intake's limit,
                // and on the shared pool each of its steps waited behind every request's jobs.
                Task(executorPreference: (database as? SQLiteEngine)?.direct) { await self.flush() }
            }
        }
    }

    private func flush() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(Self.maximumBatch))
            pending.removeFirst(batch.count)
            do {
                try await Self.write(batch.map(\.rows), database)
                for item in batch { item.done.resume() }
            } catch {
                for item in batch {
                    do {
                        try await Self.write([item.rows], database)
                        item.done.resume()
                    } catch {
                        item.done.resume(throwing: error)
                    }
                }
            }
        }
        flushing = false
    }

    /// On SQLite, through the direct writer (one job, prepared statements); on PostgreSQL, through SQLKit.
    private static func write(_ filings: [FilingRows], _ database: any Database) async throws {
        if let sqlite = database as? SQLiteEngine {
            try await sqlite.writeDirectly { db in try FilingRows.insert(filings, db) }
        } else {
            try await database.write { db in try await FilingRows.insert(filings, db) }
        }
    }
}
