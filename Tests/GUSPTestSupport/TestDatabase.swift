import Foundation
import GUSPCore
import GUSPDatabase
import Logging
import SQLKit

/// The engines the storage tests run on: SQLite always, PostgreSQL when `GUSP_TEST_POSTGRES_URL`
/// names a server (the role must be allowed to create databases: each test gets its own).
public enum TestDatabases {
    public static let postgresURL = ProcessInfo.processInfo.environment["GUSP_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    public static var engines: [Engine] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    static let logger = Logger(label: "gusp-tests")

    /// At most this many PostgreSQL test databases at once (each holds up to 5 connections).
    static let postgresGate = TestGate(width: 12)

    /// A new, empty, migrated database of that engine for the duration of `body`, then removed.
    public static func withDatabase<Result: Sendable>(
        _ engine: Engine, _ body: (any Database) async throws -> Result
    ) async throws -> Result {
        switch engine {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gusp-test-\(UUID().uuidString)")
            let database = try await SQLiteEngine.open(path: directory.appendingPathComponent("gusp.sqlite").path, readers: 2, logger: logger)
            defer { try? FileManager.default.removeItem(at: directory) }
            return try await run(database, body)
        case .postgres:
            guard let url = postgresURL else { throw ConfigurationError("GUSP_TEST_POSTGRES_URL is not set") }
            await postgresGate.enter()
            defer { Task { await postgresGate.leave() } }
            let server = try PostgresLocation(url: url)
            let admin = try PostgresEngine(location: server, logger: logger)
            let name = "gusp_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            try await createDatabase(String(name), on: admin)
            var location = server
            location.database = String(name)
            location.poolSize = 4
            let database = try PostgresEngine(location: location, logger: logger)
            do {
                let result = try await run(database, body)
                await dropDatabase(String(name), on: admin)
                await admin.shutdown()
                return result
            } catch {
                await dropDatabase(String(name), on: admin)
                await admin.shutdown()
                throw error
            }
        }
    }

    /// Two stores over one fresh database, each with its own connections: two gusp instances sharing it.
    public static func withTwinStores<Result: Sendable>(
        _ engine: Engine, clock: any WallClock = SystemWallClock(), settings: Store.Settings = Store.Settings(),
        _ body: (Store, Store) async throws -> Result
    ) async throws -> Result {
        switch engine {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gusp-test-\(UUID().uuidString)")
            let path = directory.appendingPathComponent("gusp.sqlite").path
            defer { try? FileManager.default.removeItem(at: directory) }
            let first = try await SQLiteEngine.open(path: path, readers: 2, logger: logger)
            let second = try await SQLiteEngine.open(path: path, readers: 2, logger: logger)
            return try await run(first) { database in
                defer { Task { await second.shutdown() } }
                return try await body(
                    Store(database: database, clock: clock, passwords: PasswordHasher(cost: 4), settings: settings),
                    Store(database: second, clock: clock, passwords: PasswordHasher(cost: 4), settings: settings))
            }
        case .postgres:
            guard let url = postgresURL else { throw ConfigurationError("GUSP_TEST_POSTGRES_URL is not set") }
            return try await withDatabase(.postgres) { database in
                var location = try PostgresLocation(url: url)
                location.database = (database as! PostgresEngine).location.database
                location.poolSize = 4
                let second = try PostgresEngine(location: location, logger: logger)
                defer { Task { await second.shutdown() } }
                return try await body(
                    Store(database: database, clock: clock, passwords: PasswordHasher(cost: 4), settings: settings),
                    Store(database: second, clock: clock, passwords: PasswordHasher(cost: 4), settings: settings))
            }
        }
    }

    /// CREATE DATABASE copies `template1`, which PostgreSQL refuses while another CREATE DATABASE is
    /// copying it ("source database is being accessed by other users"): retry a few times.
    private static func createDatabase(_ name: String, on admin: PostgresEngine) async throws {
        var attempt = 0
        while true {
            do {
                try await admin.read { db in try await db.raw("CREATE DATABASE \(ident: name)").run() }
                return
            } catch {
                attempt += 1
                if attempt >= 20 { throw ConfigurationError("CREATE DATABASE failed: \(String(reflecting: error))") }
                try await Task.sleep(for: .milliseconds(50 * attempt))
            }
        }
    }

    /// Best effort: a connection still starting up cannot be terminated yet, so retry a little; a database
    /// left behind is harmless (the throwaway cluster goes with its temporary directory).
    private static func dropDatabase(_ name: String, on admin: PostgresEngine) async {
        for attempt in 1...10 {
            do {
                try await admin.read { db in try await db.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run() }
                return
            } catch {
                try? await Task.sleep(for: .milliseconds(100 * attempt))
            }
        }
    }

    private static func run<Result: Sendable>(_ database: any Database, _ body: (any Database) async throws -> Result) async throws -> Result {
        do {
            try await Migrator(database: database).migrate(logger: logger)
            let result = try await body(database)
            await database.shutdown()
            return result
        } catch {
            await database.shutdown()
            throw error
        }
    }

    /// A store over a fresh database, with fast password hashing.
    public static func withStore<Result: Sendable>(
        _ engine: Engine, clock: any WallClock = SystemWallClock(), settings: Store.Settings = Store.Settings(),
        _ body: (Store) async throws -> Result
    ) async throws -> Result {
        // Photos go to a directory of the test's own, removed afterwards.
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gusp-data-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        var settings = settings
        settings.dataDirectory = data.path
        return try await withDatabase(engine) { database in
            try await body(Store(database: database, clock: clock, passwords: PasswordHasher(cost: 4), settings: settings))
        }
    }
}
