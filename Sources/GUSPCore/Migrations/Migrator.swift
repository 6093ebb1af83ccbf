import Foundation
import GUSPDatabase
import Logging
import SQLKit

/// Applies the migrations a database lacks, each in its own transaction with its record.
///
/// On PostgreSQL an advisory lock makes several processes starting at once apply each migration
/// once; on SQLite the write transaction (`BEGIN IMMEDIATE`) does the same.
public struct Migrator: Sendable {
    public let database: any Database
    public let migrations: [Migration]
    private static let advisoryLockKey: Int64 = 0x6775_7370  // "gusp"

    public init(database: any Database, migrations: [Migration] = Migration.all) {
        self.database = database
        self.migrations = migrations
    }

    /// Applies what is missing; returns the numbers applied now.
    @discardableResult
    public func migrate(logger: Logger) async throws -> [Int] {
        let engine = database.engine
        try await database.write { db in
            // Under the lock too: two PostgreSQL instances creating the table at once would collide.
            if engine == .postgres {
                try await db.raw("SELECT pg_advisory_xact_lock(\(bind: Self.advisoryLockKey))").run()
            }
            try await db.raw(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                  number BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """
            ).run()
            try await db.raw(
                """
                CREATE TABLE IF NOT EXISTS \(ident: DerivedData.table) (
                  name TEXT PRIMARY KEY, requested_at BIGINT NOT NULL)
                """
            ).run()
        }
        var applied: [Int] = []
        for migration in migrations {
            let didApply = try await database.write { db in
                if engine == .postgres {
                    try await db.raw("SELECT pg_advisory_xact_lock(\(bind: Self.advisoryLockKey))").run()
                }
                let done = try await db.select().column("number").from("schema_migrations")
                    .where("number", .equal, migration.number).first()
                if done != nil { return false }
                try await migration.apply(db, engine)
                let now = Date().storedMilliseconds
                try await db.insert(into: "schema_migrations")
                    .columns("number", "name", "applied_at")
                    .values(SQLBind(migration.number), SQLBind(migration.name), SQLBind(now))
                    .run()
                for data in migration.rebuilds {
                    try await db.insert(into: DerivedData.table).columns("name", "requested_at")
                        .values(SQLBind(data.rawValue), SQLBind(now)).ignoringConflicts().run()
                }
                return true
            }
            if didApply {
                logger.info("migration applied", metadata: ["number": "\(migration.number)", "name": "\(migration.name)"])
                applied.append(migration.number)
            }
        }
        try await rebuildRequestedData(logger: logger)
        return applied
    }

    /// Computes the derived data that applied migrations asked for, in `DerivedData`'s order, each in one
    /// transaction with the removal of its request (so two processes, or a crash, compute it once).
    private func rebuildRequestedData(logger: Logger) async throws {
        let engine = database.engine
        for data in DerivedData.allCases {
            let rebuilt = try await database.write { db in
                if engine == .postgres {
                    try await db.raw("SELECT pg_advisory_xact_lock(\(bind: Self.advisoryLockKey))").run()
                }
                let requested = try await db.select().column("name").from(DerivedData.table)
                    .where("name", .equal, data.rawValue).first()
                guard requested != nil else { return false }
                try await data.rebuild(db)
                try await db.delete(from: DerivedData.table).where("name", .equal, data.rawValue).run()
                return true
            }
            if rebuilt { logger.info("derived data rebuilt", metadata: ["data": "\(data.rawValue)"]) }
        }
    }

    /// The highest migration number recorded, or 0.
    public func appliedVersion() async throws -> Int {
        try await database.read { db in
            let row = try await db.raw("SELECT COALESCE(MAX(number), 0) AS version FROM schema_migrations").first()
            return try row?.decode(column: "version", as: Int.self) ?? 0
        }
    }

    /// Whether the database answers a query at all (whatever its schema).
    public func databaseAnswers() async -> Bool {
        (try? await database.read { db in try await db.raw("SELECT 1 AS one").all().count }) == 1
    }

    /// Whether every known migration is applied.
    public func isUpToDate() async throws -> Bool {
        try await appliedVersion() >= (migrations.last?.number ?? 0)
    }
}
