import Foundation
import GUSPDatabase
import GUSPTestSupport
import SQLKit
import Testing

@testable import GUSPCore

/// The group commit of filings, below the API: on SQLite it writes through `DirectSQLite`, on
/// PostgreSQL through SQLKit, from one description of the rows (`FilingRows`).
@Suite("Signalements: group commit of filings")
struct GroupCommitTests {
    @Test(
        "filings committed together all land with their follower, event, outbox message and rollups; one that cannot be written fails alone",
        arguments: TestDatabases.engines)
    func batchWithABadFiling(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, settings: Store.Settings(webhooksAllowPrivate: true)) { store in
            let f = try await Fixture.make(store)
            // Someone subscribes, so that each filing writes its outbox message too.
            _ = try await store.createWebhookSubscription(
                NewWebhookSubscription(partnerId: nil, url: "http://127.0.0.1:9/hook", eventTypes: ["*"]),
                by: Fixture.root)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let first = try await store.createSignalement(
                NewSignalement(
                    categoryId: try await f.category("voirie"), description: "Nid de poule", location: places.inQPV,
                    contact: ReporterContact(name: "Awa", phone: "06 12 34 56 78")), by: resident
            ).signalement
            func filing(_ category: String) -> FilingRows {
                var copy = first
                copy.id = Identifier.make("sig")
                copy.reference = "TEST-" + copy.id
                copy.categoryId = category
                return FilingRows(
                    signalement: copy, filedBy: resident.id, followerId: resident.id, eventId: Identifier.make("evt"),
                    actorId: resident.id, actorRole: .resident, eventNote: "routing: test")
            }
            // A category that does not exist breaks the foreign key: SQLite's is enforced on the direct writer too.
            let filings = [filing(first.categoryId), filing("cat_00000000000000000000000000"), filing(first.categoryId)]
            // All three in one transaction: refused whole, nothing of the good ones left behind.
            await #expect(throws: (any Error).self) { try await IntakeBatcher.write(filings, store.database) }
            #expect(try await Self.counts(store) == [1, 1, 1, 1, 1, 1, 1])
            // Through the group commit: whether they share a batch or not, the bad one fails alone.
            let batcher = IntakeBatcher(database: store.database)
            let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
                for (index, rows) in filings.enumerated() {
                    group.addTask {
                        do {
                            try await batcher.commit(rows)
                            return (index, true)
                        } catch { return (index, false) }
                    }
                }
                var outcomes = [Bool](repeating: false, count: filings.count)
                for await (index, committed) in group { outcomes[index] = committed }
                return outcomes
            }
            #expect(outcomes == [true, false, true])
            // The first filing through the API and the two good ones; the copies keep the contact.
            #expect(try await Self.counts(store) == [3, 3, 3, 3, 3, 3, 3])
            for rows in [filings[0], filings[2]] {
                let id = try #require(rows.tables.first?.rows.first?.first)
                guard case .text(let id?) = id else {
                    Issue.record("no id")
                    continue
                }
                let stored = try await store.signalement(id, by: resident)
                #expect(stored.description == "Nid de poule")
                #expect(stored.location == places.inQPV)
                #expect(stored.dueAt == first.dueAt)
                #expect(stored.contact == ReporterContact(name: "Awa", phone: "06 12 34 56 78"))
            }
            #expect(try await store.indicatorRollupDifferences().isEmpty)
        }
    }

    @Test("on SQLite the group commit's connection, without SQLite's automatic checkpoint, checkpoints the WAL once it holds 1,000 pages")
    func checkpoints() async throws {
        try await TestDatabases.withStore(.sqlite) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let road = try await f.category("voirie")
            let sqlite = try #require(store.database as? SQLiteEngine)
            let pageSize = try await store.database.read { db in
                try await db.raw("PRAGMA page_size").first()!.decode(column: "page_size", as: Int.self)
            }
            // A WAL file: a 32-byte header, then frames of a 24-byte header and a page.
            func walPages() throws -> Int {
                let bytes = (try FileManager.default.attributesOfItem(atPath: sqlite.path + "-wal")[.size] as? Int) ?? 0
                return max(0, bytes - 32) / (pageSize + 24)
            }
            var largest = 0
            // One at a time: each filing is a batch and a commit of a few dozen pages, 12,000 or so in all.
            for index in 0..<400 {
                let point = Position(
                    long: places.inCommuneA.long + Double(index % 20) * 0.001, lat: places.inCommuneA.lat + Double(index / 20) * 0.0005)
                _ = try await store.createSignalement(
                    NewSignalement(categoryId: road, description: "Chaussée \(index)", location: point), by: resident)
                largest = max(largest, try walPages())
            }
            // Checkpointed, the WAL starts again from its beginning: it never grows much past 1,000 pages.
            #expect(largest >= 1_000)
            #expect(largest < 2_000, "\(largest) pages")
        }
    }

    /// Signalements, followers, creation events, creation messages, contacts, and signalements received
    /// by the day rollups and by the month rollups.
    static func counts(_ store: Store) async throws -> [Int] {
        try await store.database.read { db in
            func count(_ sql: String) async throws -> Int {
                try await db.raw(SQLQueryString(sql)).first()!.decode(column: "n", as: Int.self)
            }
            return [
                try await count("SELECT COUNT(*) AS n FROM signalements"),
                try await count("SELECT COUNT(*) AS n FROM signalement_followers"),
                try await count("SELECT COUNT(*) AS n FROM events WHERE resource_type = 'signalement' AND action = 'created'"),
                try await count("SELECT COUNT(*) AS n FROM outbox WHERE event_type = 'signalement.created'"),
                try await count("SELECT COUNT(*) AS n FROM signalement_contacts"),
                try await count("SELECT CAST(COALESCE(SUM(received), 0) AS BIGINT) AS n FROM indicator_rollups WHERE grain = 'day'"),
                try await count("SELECT CAST(COALESCE(SUM(received), 0) AS BIGINT) AS n FROM indicator_rollups WHERE grain = 'month'"),
            ]
        }
    }
}
