import Foundation
import GUSPDatabase
import GUSPTestSupport
import Logging
import NIOPosix
import PostgresKit
import SQLKit
import Synchronization
import Testing

/// A query on a PostgreSQL connection the server dropped must end: postgres-nio alone leaves it waiting
/// forever (its write to the closed channel fails unseen), which hung every filing after a restart.
@Suite("A dropped PostgreSQL connection", .enabled(if: TestDatabases.postgresURL != nil, "GUSP_TEST_POSTGRES_URL is not set"))
struct DroppedConnectionTests {
    static func connect() async throws -> PostgresConnection {
        let location = try PostgresLocation(url: TestDatabases.postgresURL!)
        let configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database, tls: .disable)
        return try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: Logger(label: "dropped"))
    }

    /// `body`'s outcome, or nil if it has not ended within `seconds` (the test's own bound, never the code's).
    static func within(_ seconds: Double, _ body: @escaping @Sendable () async throws -> Void) async -> Result<Void, any Error>? {
        await withCheckedContinuation { continuation in
            let once = OnceFlag()
            Task {
                do {
                    try await body()
                    if once.take() { continuation.resume(returning: .success(())) }
                } catch {
                    if once.take() { continuation.resume(returning: .failure(error)) }
                }
            }
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                if once.take() { continuation.resume(returning: nil) }
            }
        }
    }

    @Test("a query on a closed connection fails at once as 'storage unavailable'")
    func closedConnection() async throws {
        let connection = try await Self.connect()
        let live = LiveConnectionDatabase(connection: connection, base: connection.sql(queryLogLevel: nil))
        try await live.raw("SELECT 1").run()
        try await connection.close()
        let outcome = await Self.within(5) { try await live.raw("SELECT 1").run() }
        guard case .failure(let error) = outcome else {
            Issue.record("the query did not fail: \(String(describing: outcome))")
            return
        }
        #expect((error as? StorageUnavailable)?.reason == "the connection to PostgreSQL was lost")
    }

    @Test("a query in flight when the server ends the connection fails within a second")
    func terminatedInFlight() async throws {
        let connection = try await Self.connect()
        let live = LiveConnectionDatabase(connection: connection, base: connection.sql(queryLogLevel: nil))
        let pid = try #require(try await live.raw("SELECT pg_backend_pid() AS pid").first()?.decode(column: "pid", as: Int.self))
        var logger = Logger(label: "killer")
        logger.logLevel = .critical
        let killer = try PostgresEngine(location: try PostgresLocation(url: TestDatabases.postgresURL!), logger: logger)
        let started = ContinuousClock.now
        let outcome = await Self.within(10) {
            async let slow: Void = live.raw("SELECT pg_sleep(30)").run()
            try await Task.sleep(for: .milliseconds(300))
            let ended = try await killer.read { db in
                try await db.raw("SELECT pg_terminate_backend(CAST(\(bind: pid) AS integer)) AS ended").first()?.decode(
                    column: "ended", as: Bool.self)
            }
            #expect(ended == true)
            try await slow
        }
        await killer.shutdown()
        try? await connection.close()
        guard case .failure(let error) = outcome else {
            Issue.record("the query did not fail: \(String(describing: outcome))")
            return
        }
        #expect(StorageUnavailable.reason(of: error) != nil || error is StorageUnavailable, "\(error)")
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}

/// True once.
final class OnceFlag: Sendable {
    private let taken = Mutex(false)
    func take() -> Bool {
        taken.withLock { was in
            defer { was = true }
            return !was
        }
    }
}
