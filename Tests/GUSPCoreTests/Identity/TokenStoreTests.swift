import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import SQLKit
import Testing

@Suite("Tokens and API keys")
struct TokenStoreTests {
    @Test("tokens are stored only as SHA-256 hashes", arguments: TestDatabases.engines)
    func hashedAtRest(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let fixture = try await Fixture.make(store)
            let stored = try await store.database.read { db in
                try await db.select().columns("token_hash", "prefix").from("access_tokens").all()
                    .map { (try $0.decode(column: "token_hash", as: String.self), try $0.decode(column: "prefix", as: String.self)) }
            }
            for token in fixture.tokens.values {
                #expect(!stored.contains { $0.0 == token })
                let row = stored.first { $0.0 == TokenSecret.hash(token) }
                #expect(row != nil, "the token's hash is stored")
                #expect(row.map { token.hasPrefix($0.1) } == true, "the stored prefix \(row?.1 ?? "-") starts the token")
                #expect(token.count >= "gusp_pat_".count + 43)
            }
        }
    }

    @Test("a wrong password, an unknown email, an expired or revoked token are refused", arguments: TestDatabases.engines)
    func refusals(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            _ = try await store.registerResident(email: "a@b.fr", password: "long enough pw", displayName: nil)
            await #expect(throws: AuthenticationFailure.self) { try await store.logIn(email: "a@b.fr", password: "wrong password", tokenName: nil) }
            await #expect(throws: AuthenticationFailure.self) { try await store.logIn(email: "x@b.fr", password: "long enough pw", tokenName: nil) }
            let token = try await store.logIn(email: "a@b.fr", password: "long enough pw", tokenName: "phone")
            let actor = try await store.authenticate(bearer: token.secret)
            #expect(actor.role == .resident)
            clock.advance(store.settings.tokenLifetime + 1)
            await #expect(throws: AuthenticationFailure("the token has expired")) { try await store.authenticate(bearer: token.secret) }
            let fresh = try await store.logIn(email: "a@b.fr", password: "long enough pw", tokenName: nil)
            try await store.revokeOwnToken(try await store.authenticate(bearer: fresh.secret))
            await #expect(throws: AuthenticationFailure("the token was revoked")) { try await store.authenticate(bearer: fresh.secret) }
            await #expect(throws: AuthenticationFailure("the token is unknown")) { try await store.authenticate(bearer: "gusp_pat_nope") }
        }
    }

    @Test("an API key speaks for its partner; revoked, it stops working", arguments: TestDatabases.engines)
    func apiKeys(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let fixture = try await Fixture.make(store)
            let issued = try await store.createApiKey(partnerId: fixture.partnerA.id, name: "GMAO", expiresAt: nil, by: Fixture.root)
            #expect(issued.secret.hasPrefix("gusp_key_"))
            let actor = try await store.authenticate(bearer: issued.secret)
            #expect(actor.role == .partnerSystem)
            #expect(actor.partnerId == fixture.partnerA.id)
            let listed = try await store.apiKeys(partnerId: fixture.partnerA.id, page: try PageRequest(), by: Fixture.root).items
            let listedKey = listed.first { $0.id == issued.record.id }
            #expect(listedKey != nil)
            #expect(listedKey?.lastUsedAt != nil)
            try await store.revokeApiKey(partnerId: fixture.partnerA.id, keyId: issued.record.id, by: Fixture.root)
            await #expect(throws: AuthenticationFailure("the token was revoked")) { try await store.authenticate(bearer: issued.secret) }
            await #expect(throws: DomainError.notFound("API key not found")) {
                try await store.revokeApiKey(partnerId: fixture.partnerB.id, keyId: issued.record.id, by: Fixture.root)
            }
        }
    }

    @Test("a coordinator's token covers their territories and the territories below them", arguments: TestDatabases.engines)
    func territoryScope(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let fixture = try await Fixture.make(store)
            let coordinator = try await fixture.actor(.coordinator)
            #expect(coordinator.territoryIds == [fixture.communeA.id, fixture.qpvA.id])
        }
    }
}
