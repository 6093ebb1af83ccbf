import Synchronization

/// Group commit: items written by concurrent callers wait here and go, with whichever others are
/// waiting, into one transaction written by `write`. With one writer (SQLite), N items cost one commit
/// instead of N, which is where intake throughput comes from. A caller returns once its batch has
/// committed. If a batch fails, its items are retried one by one, so a bad one fails alone. On SQLite
/// the WAL is checkpointed, when due, after a batch's callers are answered rather than inside its
/// commit (see `DirectSQLite.checkpointIfDue`).
///
/// The waiting items are behind a lock rather than in an actor: on SQLite the loop that writes them
/// runs on the direct writer's thread (its task prefers `DirectSQLite` as executor; on the shared pool
/// each of its steps waited behind every request's jobs), and no actor code need run there.
///
/// It knows nothing of what an item is: the caller says how a batch of them is written
/// (`IntakeBatcher` for filings).
package final class GroupCommit<Item: Sendable>: Sendable {
    package typealias Write = @Sendable ([Item], any Database) async throws -> Void

    private struct Waiting {
        var items: [(item: Item, done: CheckedContinuation<Void, any Error>, since: ContinuousClock.Instant)] = []
        var flushing = false
    }

    private let database: any Database
    private let waiting = Mutex(Waiting())
    private let write: Write
    package let maximumBatch: Int

    package init(database: any Database, maximumBatch: Int, write: @escaping Write) {
        self.database = database
        self.maximumBatch = maximumBatch
        self.write = write
    }

    /// Returns once `item` has committed, with others or (after its batch failed) alone.
    package func commit(_ item: Item) async throws {
        try await withCheckedThrowingContinuation { continuation in
            let start = waiting.withLock { waiting in
                waiting.items.append((item, continuation, .now))
                guard !waiting.flushing else { return false }
                waiting.flushing = true
                return true
            }
            if start {
                // Not in the caller's task-locals: its idempotency record is its own, written with its item.
                Task(executorPreference: (database as? SQLiteEngine)?.direct) {
                    await CommandRecord.$current.withValue(nil) { await self.flush() }
                }
            }
        }
    }

    private func flush() async {
        while true {
            let batch = waiting.withLock { waiting in
                let batch = Array(waiting.items.prefix(maximumBatch))
                waiting.items.removeFirst(batch.count)
                if batch.isEmpty { waiting.flushing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                try await write(batch.map(\.item), database)
                let now = ContinuousClock.now
                RuntimeStatistics.shared.recordBatch(waits: batch.map { (now - $0.since).seconds })
                for waiting in batch { waiting.done.resume() }
            } catch {
                for waiting in batch {
                    do {
                        try await write([waiting.item], database)
                        waiting.done.resume()
                    } catch {
                        waiting.done.resume(throwing: error)
                    }
                }
            }
            await (database as? SQLiteEngine)?.direct.checkpointIfDue()
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
