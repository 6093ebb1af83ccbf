import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

/// Two instances on one PostgreSQL database: what one revokes or changes, the other stops honouring
/// within a second, though it keeps who a token speaks for in memory.
@Suite("Identity changes across instances", .enabled(if: TestDatabases.postgresURL != nil, "GUSP_TEST_POSTGRES_URL is not set"))
struct ChangesAcrossInstancesTests {
    /// How long `check` took to hold, or nil if it did not within two seconds.
    static func timeUntil(_ check: () async -> Bool) async throws -> Duration? {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < .seconds(2) {
            if await check() { return ContinuousClock.now - started }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    @Test("a token revoked on one instance stops working on the other within a second")
    func revocation() async throws {
        try await TestDatabases.withTwinStores(.postgres) { first, second in
            let f = try await Fixture.make(first)
            let token = f.tokens[.coordinator]!
            let actor = try await second.authenticate(bearer: token)  // now kept in the second's memory
            try await first.revokeOwnToken(actor)
            let took = try await Self.timeUntil {
                do {
                    _ = try await second.authenticate(bearer: token)
                    return false
                } catch {
                    return error is AuthenticationFailure
                }
            }
            let elapsed = try #require(took, "the revoked token still worked after 2 s")
            #expect(elapsed < .seconds(1))
        }
    }

    @Test("a role and territory change on one instance reaches the other within a second")
    func roleChange() async throws {
        try await TestDatabases.withTwinStores(.postgres) { first, second in
            let f = try await Fixture.make(first)
            let coordinator = f.users[.coordinator]!
            #expect(try await second.authenticate(bearer: f.tokens[.coordinator]!).territoryIds.contains(f.qpvA.id))
            _ = try await first.updateUser(coordinator.id, UserChanges(territoryIds: [f.communeB.id]), ifVersion: nil, by: Fixture.root)
            let took = try await Self.timeUntil {
                (try? await second.authenticate(bearer: f.tokens[.coordinator]!).territoryIds) == [f.communeB.id]
            }
            let elapsed = try #require(took, "the old territories still applied after 2 s")
            #expect(elapsed < .seconds(1))
        }
    }
}
