import SQLKit
import Synchronization

/// A row a request must write in the same transaction as its command: the request's idempotency
/// record (see `IdempotentRequest` in GUSPCore), so that the command and the record of it commit
/// together or not at all. Set as a task-local around the request; the first transaction the request's
/// task writes through `Database.write` runs `write` before its body, once. A command that writes
/// through another path (the group commit of filings) takes the record itself (`take`) and says
/// whether it committed (`settle`).
package final class CommandRecord: Sendable {
    @TaskLocal package static var current: CommandRecord?

    package typealias Write = @Sendable (any SQLDatabase) async throws -> Void

    private enum State {
        case waiting, writing, written
    }

    private let state = Mutex(State.waiting)
    private let writeRecord: Write

    package init(write: @escaping Write) {
        self.writeRecord = write
    }

    /// Whether a transaction that wrote this record has committed.
    package var isWritten: Bool { state.withLock { $0 == .written } }

    /// Takes the record for one transaction: false if another has it or it is written.
    package func take() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return false }
            state = .writing
            return true
        }
    }

    /// After the transaction that took the record: written if it committed, waiting again if not.
    package func settle(committed: Bool) {
        state.withLock { $0 = committed ? .written : .waiting }
    }

    /// This task's record if it has one not yet written, taken for the transaction about to run: it
    /// writes it first (`write`), inside `settling`.
    package static func takeCurrent() -> CommandRecord? {
        guard let record = current, record.take() else { return nil }
        return record
    }

    /// Writes the record (first thing in the transaction that took it).
    package func write(_ db: any SQLDatabase) async throws {
        try await writeRecord(db)
    }

    /// Runs `transaction`, the one that took the record, and settles the record by its outcome.
    package func settling<Result: Sendable>(_ transaction: () async throws -> Result) async throws -> Result {
        do {
            let result = try await transaction()
            settle(committed: true)
            return result
        } catch {
            settle(committed: false)
            throw error
        }
    }
}
