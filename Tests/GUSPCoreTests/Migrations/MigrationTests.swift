import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Logging
import SQLKit
import Testing

@Suite("Migrations")
struct MigrationTests {
    @Test("each migration applies once and is recorded", arguments: TestDatabases.engines)
    func appliesOnce(engine: Engine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let migrator = Migrator(database: database)
            #expect(try await migrator.migrate(logger: Logger(label: "test")).isEmpty)
            #expect(try await migrator.appliedVersion() == Migration.all.last!.number)
            #expect(try await migrator.isUpToDate())
            let recorded = try await database.read { db in
                try await db.select().column("number").from("schema_migrations").orderBy("number").all()
                    .map { try $0.decode(column: "number", as: Int.self) }
            }
            #expect(recorded == Migration.all.map(\.number))
        }
    }

    @Test("the default categories of the field are seeded with their commitments", arguments: TestDatabases.engines)
    func defaultCategories(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let admin = Fixture.root
            let categories = try await store.categories(CategoryFilter(), page: try PageRequest(limit: 100), by: admin).items
            let byCode = Dictionary(uniqueKeysWithValues: categories.map { ($0.code, $0) })
            #expect(
                byCode.keys.sorted() == [
                    "eclairage", "encombrants", "epaves", "espaces_verts", "fuite", "nuisibles",
                    "parties_communes", "proprete", "tags", "tags_injurieux", "tranquillite", "voirie",
                ])
            #expect(byCode["proprete"]?.commitment == Commitment(amount: 48, unit: .hours))
            #expect(byCode["eclairage"]?.commitment == Commitment(amount: 5, unit: .businessDays))
            #expect(byCode["voirie"]?.commitment == Commitment(amount: 15, unit: .days))
            #expect(byCode["fuite"]?.commitment == Commitment(amount: 4, unit: .hours))
            #expect(byCode["tranquillite"]?.commitment == nil)
            #expect(byCode["tags_injurieux"]?.parentId == byCode["tags"]?.id)
            #expect(categories.allSatisfy { $0.residentFileable })
        }
    }
}
