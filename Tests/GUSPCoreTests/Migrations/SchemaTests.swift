import Foundation
import GUSPDatabase
import GUSPTestSupport
import Logging
import SQLKit
import Testing

@testable import GUSPCore

/// The schema the code expects is `Tests/Fixtures/schema.txt`: a database migrated from empty must
/// have exactly it, on both engines, so a migration that forgets a column or an index on one engine,
/// or an engine that drifts from the other, fails here. After adding a migration, write the new
/// schema with `GUSP_TEST_WRITE_SCHEMA=1 swift test --filter SchemaTests` (from SQLite), read its diff,
/// and run the test again on both engines.
@Suite("Schema")
struct SchemaTests {
    @Test("a database migrated from empty has exactly the expected schema", arguments: TestDatabases.engines)
    func migratedSchema(engine: Engine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let found = try await DatabaseSchema.describe(database)
            if engine == .sqlite, ProcessInfo.processInfo.environment["GUSP_TEST_WRITE_SCHEMA"] == "1" {
                try Data(found.utf8).write(to: TestData.directory.appendingPathComponent("schema.txt"))
            }
            let expected = String(decoding: try TestData.bytes("schema.txt"), as: UTF8.self)
            let difference = DatabaseSchema.difference(found: found, expected: expected)
            #expect(difference.isEmpty, "\(engine) differs from Tests/Fixtures/schema.txt:\n\(difference)")
        }
    }

    @Test("every column the intake writes exists in its table", arguments: TestDatabases.engines)
    func intakeColumns(engine: Engine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let schema = try await DatabaseSchema.describe(database)
            let signalements = schema.components(separatedBy: "table ").first { $0.hasPrefix("signalements\n") } ?? ""
            for column in Store.signalementColumns {
                #expect(signalements.contains("  column \(column) "), "signalements.\(column)")
            }
        }
    }

    @Test(
        "derived data requested by a migration is rebuilt after the migrations, also at the next start after a crash",
        arguments: TestDatabases.engines)
    func derivedDataRequests(engine: Engine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let pending = try await database.read { db in try await db.select().column("name").from(DerivedData.table).all() }
            #expect(pending.isEmpty, "requests left after migrating")
            // A crash after a migration committed its request, before the rebuild: the request is there and
            // the rollups are wrong (a row that no signalement explains).
            try await database.write { db in
                try await db.insert(into: DerivedData.table).columns("name", "requested_at")
                    .values(SQLBind(DerivedData.indicatorRollups.rawValue), SQLBind(Int64(0))).run()
                try await db.insert(into: "indicator_rollups").columns("grain", "period", "category_id", "territory_id", "partner_id", "received")
                    .values(SQLBind("day"), SQLBind("2026-01-01"), SQLBind("cat_x"), SQLBind(""), SQLBind(""), SQLBind(7)).run()
            }
            #expect(try await Migrator(database: database).migrate(logger: Logger(label: "test")).isEmpty)
            let (requests, rollups) = try await database.read { db in
                (
                    try await db.select().column("name").from(DerivedData.table).all().count,
                    try await db.select().column("period").from("indicator_rollups").all().count
                )
            }
            #expect(requests == 0)
            #expect(rollups == 0, "the rollups were not rebuilt")
        }
    }
}
