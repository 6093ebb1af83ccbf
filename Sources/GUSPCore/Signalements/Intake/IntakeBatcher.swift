import SQLKit
import Synchronization

/// Group commit for filings. Each filing is placed, routed and checked for duplicates by its own
/// request, which also describes the rows it writes (`FilingRows`); the rows wait here and go with
/// whichever other filings are waiting into one transaction: on SQLite one job of the direct writer
/// (`DirectSQLite`), on PostgreSQL one multi-row insert per table through SQLKit. With one writer
/// (SQLite), N filings cost one commit instead of N, which is where intake throughput comes from.
/// A caller returns once its batch has committed. If a batch fails, its filings are retried one by
/// one, so a bad one fails alone. On SQLite the WAL is checkpointed, when due, after a batch's filings
/// are answered rather than inside its commit (see `DirectSQLite.checkpointIfDue`).
///
/// The waiting filings are behind a lock rather than in an actor: on SQLite the loop that writes them
/// runs on the direct writer's thread (its task prefers `DirectSQLite` as executor; on the shared pool
/// each of its steps waited behind every request's jobs), and no actor code need run there.
final class IntakeBatcher: Sendable {
    private struct Waiting {
        var filings: [(rows: FilingRows, done: CheckedContinuation<Void, any Error>)] = []
        var flushing = false
    }

    private let database: any Database
    private let waiting = Mutex(Waiting())
    static let maximumBatch = 200

    init(database: any Database) {
        self.database = database
    }

    func commit(_ rows: FilingRows) async throws {
        try await withCheckedThrowingContinuation { continuation in
            let start = waiting.withLock { waiting in
                waiting.filings.append((rows, continuation))
                guard !waiting.flushing else { return false }
                waiting.flushing = true
                return true
            }
            if start {
                Task(executorPreference: (database as? SQLiteEngine)?.direct) { await self.flush() }
            }
        }
    }

    private func flush() async {
        while true {
            let batch = waiting.withLock { waiting in
                let batch = Array(waiting.filings.prefix(Self.maximumBatch))
                waiting.filings.removeFirst(batch.count)
                if batch.isEmpty { waiting.flushing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
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
            await (database as? SQLiteEngine)?.direct.checkpointIfDue()
        }
    }

    /// One transaction for `filings`: on SQLite through the direct writer (one job, prepared
    /// statements), on PostgreSQL through SQLKit.
    static func write(_ filings: [FilingRows], _ database: any Database) async throws {
        if let sqlite = database as? SQLiteEngine {
            try await sqlite.writeDirectly { db in try FilingRows.insert(filings, db) }
        } else {
            try await database.write { db in try await FilingRows.insert(filings, db) }
        }
    }
}
