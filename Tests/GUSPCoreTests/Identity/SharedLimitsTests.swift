import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import SQLKit
import Testing

/// Limits on guessing, counted in PostgreSQL: two instances together allow what one does.
@Suite("Limits shared by instances", .enabled(if: TestDatabases.postgresURL != nil, "GUSP_TEST_POSTGRES_URL is not set"))
struct SharedLimitsTests {
    @Test("ten logins for one email across two instances, then a wait until the next window")
    func acrossInstances() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_790_064_000))  // a multiple of 900 s
        try await TestDatabases.withTwinStores(.postgres, clock: clock) { first, second in
            #expect(first.countsLimitsInDatabase)
            clock.advance(100)
            for attempt in 0..<10 {
                let store = attempt.isMultiple(of: 2) ? first : second
                #expect(try await store.admitShared("login-email:ines@example.org", limit: 10, window: 900) == nil)
            }
            #expect(try await first.admitShared("login-email:ines@example.org", limit: 10, window: 900) == 800)
            #expect(try await second.admitShared("login-email:ines@example.org", limit: 10, window: 900) == 800)
            // Another key is another count; the next window starts afresh.
            #expect(try await second.admitShared("login-email:paul@example.org", limit: 10, window: 900) == nil)
            clock.advance(800)
            #expect(try await first.admitShared("login-email:ines@example.org", limit: 10, window: 900) == nil)
            // The key is kept as a hash, never as the email.
            let keys = try await first.database.read { db in
                try await db.select().column("key_hash").from("limit_counts").all().map { try $0.decode(column: "key_hash", as: String.self) }
            }
            #expect(!keys.contains { $0.contains("@") })
        }
    }

    @Test("SQLite counts in the process, not in the database")
    func sqliteInMemory() async throws {
        try await TestDatabases.withStore(.sqlite) { store in
            #expect(!store.countsLimitsInDatabase)
        }
    }
}
