import Logging
import NIOCore
import PostgresNIO
import SQLKit
import Synchronization

/// A PostgreSQL connection's SQL database whose queries cannot wait forever on a connection the server
/// dropped. postgres-nio writes a query to its channel without a promise: once the channel has closed
/// (PostgreSQL restarted, the network cut), the write fails unseen and the query's answer never comes.
/// Under load this hung the group commit's transaction, and every filing behind it, for good. Here a
/// query is refused at once on a closed connection, and one already sent is failed once the connection
/// is seen closed (checked every `pollInterval`) — never merely because it is slow: a long migration is
/// not cut short. Both failures are `StorageUnavailable` (503 with `Retry-After`, `/ready` not ready).
package struct LiveConnectionDatabase: SQLDatabase {
    package let connection: PostgresConnection
    package let base: any SQLDatabase

    package init(connection: PostgresConnection, base: any SQLDatabase) {
        self.connection = connection
        self.base = base
    }

    static let pollInterval = TimeAmount.milliseconds(250)
    package static let lost = StorageUnavailable(reason: "the connection to PostgreSQL was lost")

    package var logger: Logger { base.logger }
    package var eventLoop: any EventLoop { base.eventLoop }
    package var version: (any SQLDatabaseReportedVersion)? { base.version }
    package var dialect: any SQLDialect { base.dialect }
    package var queryLogLevel: Logger.Level? { base.queryLogLevel }

    package func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        guard !connection.isClosed else { return eventLoop.makeFailedFuture(Self.lost) }
        let answer = base.execute(sql: query, onRow)
        let outcome = eventLoop.makePromise(of: Void.self)
        // Whether the outcome is settled, and the next check (cancelled once it is).
        let state = Mutex<(settled: Bool, check: Scheduled<Void>?)>((false, nil))
        let eventLoop = self.eventLoop
        let connection = self.connection
        @Sendable func settle(_ result: Result<Void, any Error>) {
            let check = state.withLock { state -> Scheduled<Void>?? in
                guard !state.settled else { return nil }
                state.settled = true
                return .some(state.check)
            }
            guard let check else { return }
            check?.cancel()
            outcome.completeWith(result)
        }
        @Sendable func schedule(_ step: @escaping @Sendable () -> Void) {
            let check = eventLoop.scheduleTask(in: Self.pollInterval, step)
            state.withLock { $0.check = check }
        }
        @Sendable func watch() {
            guard !state.withLock({ $0.settled }) else { return }
            // Closed, still unanswered: give its answer a moment to arrive (a failure in flight), then fail it.
            if connection.isClosed {
                schedule { settle(.failure(Self.lost)) }
            } else {
                schedule(watch)
            }
        }
        answer.whenComplete { settle($0) }
        schedule(watch)
        return outcome.futureResult
    }

    package func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await execute(sql: query, onRow).get()
    }
}
