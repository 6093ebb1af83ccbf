import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

/// What an admin reads to find out who logged in, who changed whose access, which keys came and went.
@Suite("Security log")
struct SecurityLogTests {
    @Test("logins that succeed and fail are recorded with the client address, never the email or password", arguments: TestDatabases.engines)
    func logins(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let technician = f.users[.technician]!
            try await RequestOrigin.$address.withValue("203.0.113.7") {
                _ = try await store.logIn(email: "technician@a.test", password: f.password, tokenName: nil)
                await #expect(throws: AuthenticationFailure.self) {
                    try await store.logIn(email: "technician@a.test", password: "wrong password", tokenName: nil)
                }
                await #expect(throws: AuthenticationFailure.self) {
                    try await store.logIn(email: "nobody@a.test", password: "wrong password", tokenName: nil)
                }
            }
            let all = try await store.securityEvents(SecurityEventFilter(), page: try PageRequest(), by: Fixture.root).items
            #expect(all.map(\.kind) == [.apiKeyCreated, .loginSucceeded, .loginFailed, .loginFailed])
            let success = all[1]
            #expect(success.userId == technician.id && success.actorId == technician.id && success.address == "203.0.113.7")
            #expect(all[2].userId == technician.id && all[2].actorId == nil)
            // An email that has no account names no account.
            #expect(all[3].userId == nil && all[3].address == "203.0.113.7")
            let written = all.compactMap(\.detail).joined()
            #expect(!written.contains("@") && !written.contains("password"))
            // Filters: by account, by kind.
            let mine = try await store.securityEvents(SecurityEventFilter(userId: technician.id), page: try PageRequest(), by: Fixture.root)
            #expect(mine.items.map(\.kind) == [.loginSucceeded, .loginFailed])
            let failed = try await store.securityEvents(SecurityEventFilter(kind: .loginFailed), page: try PageRequest(), by: Fixture.root)
            #expect(failed.items.count == 2)
        }
    }

    @Test("password, role, territory and partner changes, deletions and keys say who did what", arguments: TestDatabases.engines)
    func accessChanges(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let admin = try await f.actor(.admin)
            let coordinator = f.users[.coordinator]!
            let resident = f.users[.resident]!
            _ = try await store.updateUser(
                resident.id, UserChanges(password: "another long one", currentPassword: f.password), ifVersion: nil,
                by: try await f.actor(.resident))
            _ = try await store.updateUser(coordinator.id, UserChanges(territoryIds: [f.qpvA.id, f.communeB.id]), ifVersion: nil, by: admin)
            _ = try await store.updateUser(coordinator.id, UserChanges(role: .elected), ifVersion: nil, by: admin)
            // A profile change alone leaves no entry.
            _ = try await store.updateUser(coordinator.id, UserChanges(displayName: "Claire"), ifVersion: nil, by: admin)
            let technicianB = f.technicianB
            _ = try await store.updateUser(technicianB.id, UserChanges(partnerId: f.partnerA.id), ifVersion: nil, by: admin)
            try await store.deleteUser(technicianB.id, by: admin)
            let key = try await store.createApiKey(partnerId: f.partnerB.id, name: "GMAO", expiresAt: nil, by: admin)
            try await store.revokeApiKey(partnerId: f.partnerB.id, keyId: key.record.id, by: admin)

            let since = try await store.securityEvents(SecurityEventFilter(), page: try PageRequest(), by: Fixture.root).items.dropFirst()
            #expect(
                since.map(\.kind) == [
                    .passwordChanged, .territoriesChanged, .roleChanged, .partnerChanged, .userDeleted, .apiKeyCreated, .apiKeyRevoked,
                ])
            let entries = Array(since)
            #expect(entries[0].userId == resident.id && entries[0].actorId == resident.id && entries[0].detail == "by the holder")
            let territories = [f.communeA.id].joined() + " → " + [f.qpvA.id, f.communeB.id].sorted().joined(separator: ", ")
            #expect(entries[1].detail == territories && entries[1].actorId == admin.id)
            #expect(entries[2].detail == "coordinator → elected")
            #expect(entries[3].detail == "\(f.partnerB.id) → \(f.partnerA.id)")
            #expect(entries[4].userId == technicianB.id && entries[4].detail == "role technician")
            #expect(entries[5].apiKeyId == key.record.id && entries[6].apiKeyId == key.record.id)
            // Written outside any request: no address.
            #expect(entries.allSatisfy { $0.address == nil })
        }
    }

    @Test("only admins read it", arguments: TestDatabases.engines)
    func adminsOnly(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            for role in Role.allCases where role != .admin {
                let actor = try await f.actor(role)
                await #expect(throws: DomainError.self) {
                    try await store.securityEvents(SecurityEventFilter(), page: try PageRequest(), by: actor)
                }
            }
            #expect(try await store.securityEvents(SecurityEventFilter(), page: try PageRequest(), by: try await f.actor(.admin)).items.count == 1)
        }
    }

    @Test("pages in order and forgets entries past the retention", arguments: TestDatabases.engines)
    func pagingAndRetention(engine: Engine) async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_790_064_000))
        var settings = Store.Settings()
        settings.securityLogRetention = 30 * 86_400
        try await TestDatabases.withStore(engine, clock: clock, settings: settings) { store in
            let f = try await Fixture.make(store)
            for _ in 0..<3 {
                clock.advance(60)
                _ = try await store.logIn(email: "admin@a.test", password: f.password, tokenName: nil)
            }
            let first = try await store.securityEvents(SecurityEventFilter(), page: try PageRequest(limit: 2), by: Fixture.root)
            let cursor = try #require(first.nextCursor)
            let second = try await store.securityEvents(SecurityEventFilter(), page: try PageRequest(limit: 2, cursor: cursor), by: Fixture.root)
            #expect(first.items.count == 2 && second.items.count == 2 && second.nextCursor == nil)
            #expect(Set((first.items + second.items).map(\.id)).count == 4)
            let later = try await store.securityEvents(
                SecurityEventFilter(since: clock.now().addingTimeInterval(-90)), page: try PageRequest(), by: Fixture.root)
            #expect(later.items.count == 2)
            clock.advance(31 * 86_400)
            _ = try await store.logIn(email: "admin@a.test", password: f.password, tokenName: nil)
            _ = try await store.purgeExpiredData()
            let kept = try await store.securityEvents(SecurityEventFilter(), page: try PageRequest(), by: Fixture.root).items
            #expect(kept.map(\.kind) == [.loginSucceeded])
        }
    }
}
