import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import HTTPTypes
import SQLKit
import Testing

@Suite("Security")
struct SecurityTests {
    @Test("a coordinator cannot give or move an account to a partner outside their territories", arguments: TestDatabases.engines)
    func foreignPartnerAccounts(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            let create = try await api.call(
                .post, "/v1/users", as: .coordinator,
                json: [
                    "email": "mole@b.test", "password": "a long password", "role": "technician",
                    "partner_id": f.partnerB.id, "territory_ids": [f.qpvA.id],
                ])
            #expect(create.status == 403)
            let own = try await api.call(
                .post, "/v1/users", as: .coordinator,
                json: [
                    "email": "agent@a.test", "role": "technician", "partner_id": f.partnerA.id,
                ])
            let id = try #require(own.json["id"] as? String)
            let move = try await api.call(
                .patch, "/v1/users/\(id)", as: .coordinator,
                json: ["partner_id": f.partnerB.id, "territory_ids": [f.qpvA.id]])
            #expect(move.status == 403)
            #expect(try await api.call(.get, "/v1/users/\(id)", as: .coordinator).json["partner_id"] as? String == f.partnerA.id)
        }
    }

    @Test("a partner shared with territories the coordinator does not hold is readable but not theirs to change", arguments: TestDatabases.engines)
    func sharedPartner(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            let shared = try await f.store.createPartner(
                NewPartner(kind: .etat, name: "Préfecture", territoryIds: [f.qpvA.id, f.communeB.id]), by: Fixture.root)
            #expect(try await api.call(.get, "/v1/partners/\(shared.id)", as: .coordinator).status == 200)
            #expect(try await api.call(.patch, "/v1/partners/\(shared.id)", as: .coordinator, json: ["territory_ids": [f.qpvA.id]]).status == 403)
            #expect(try await api.call(.post, "/v1/partners/\(shared.id)/api-keys", as: .coordinator, json: ["name": "k"]).status == 403)
            let mixed = try await api.call(
                .post, "/v1/partners", as: .coordinator,
                json: ["kind": "other", "name": "Both", "territory_ids": [f.qpvA.id, f.communeB.id]])
            #expect(mixed.status == 403)
        }
    }

    @Test("a coordinator creates sectors, not official QPVs, and moves territories only under their own", arguments: TestDatabases.engines)
    func territoryOwnership(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            let qpv = try await api.call(
                .post, "/v1/territories", as: .coordinator,
                json: ["kind": "qpv", "code": "QN02699Z", "label": "Claimed", "parent_id": f.qpvA.id])
            #expect(qpv.status == 403)
            let moved = try await api.call(.patch, "/v1/territories/\(f.qpvA.id)", as: .coordinator, json: ["parent_id": f.communeB.id])
            #expect(moved.status == 403)
            let orphaned = try await api.call(.patch, "/v1/territories/\(f.qpvA.id)", as: .coordinator, json: ["parent_id": NSNull()])
            #expect(orphaned.status == 403)
        }
    }

    @Test("no token, key or password is kept in clear or under a fast hash anywhere in the database", arguments: TestDatabases.engines)
    func secretsAtRest(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            let key: HTTPFields = [.idempotencyKey: "key-1"]
            let created = try await api.call(.post, "/v1/partners/\(f.partnerA.id)/api-keys", as: .coordinator, json: ["name": "GMAO"], headers: key)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.headers[.cacheControl] == "no-store")
            let secret = try #require(created.json["key"] as? String)
            let replay = try await api.call(.post, "/v1/partners/\(f.partnerA.id)/api-keys", as: .coordinator, json: ["name": "GMAO"], headers: key)
            #expect(replay.status == 409, "\(replay.text)")
            #expect(!replay.text.contains(secret))
            let login = try await api.call(
                .post, "/v1/auth/token", json: ["email": "resident@a.test", "password": f.password],
                headers: [.idempotencyKey: "login-1"])
            let token = try #require(login.json["token"] as? String)
            _ = try await api.call(
                .patch, "/v1/users/\(f.users[.resident]!.id)", token: token,
                json: ["password": "a brand new password", "current_password": f.password], headers: key)
            let dump = try await Self.everything(in: f.store.database)
            #expect(dump.contains("resident@a.test"))
            #expect(dump.contains(TokenSecret.hash(secret)))
            for needle in [secret, token, f.password, "a brand new password", TokenSecret.hash(f.password)] + Array(f.tokens.values) {
                #expect(!dump.contains(needle), "found a secret at rest")
            }
        }
    }

    @Test("changing one's password needs the current one and ends the other sessions", arguments: TestDatabases.engines)
    func passwordChange(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            let me = f.users[.resident]!.id
            let other = try #require(
                try await api.call(.post, "/v1/auth/token", json: ["email": "resident@a.test", "password": f.password]).json["token"] as? String)
            let missing = try await api.call(.patch, "/v1/users/\(me)", as: .resident, json: ["password": "a brand new password"])
            #expect(missing.status == 422, "\(missing.text)")
            #expect(missing.invalidFields == ["current_password"])
            let wrong = try await api.call(
                .patch, "/v1/users/\(me)", as: .resident,
                json: ["password": "a brand new password", "current_password": "not it at all"])
            #expect(wrong.status == 422)
            let changed = try await api.call(
                .patch, "/v1/users/\(me)", as: .resident,
                json: ["password": "a brand new password", "current_password": f.password])
            #expect(changed.status == 200)
            #expect(try await api.call(.get, "/v1/me", token: other).status == 401)
            #expect(try await api.call(.get, "/v1/me", as: .resident).status == 200)
            let nul = try await api.call(
                .patch, "/v1/users/\(me)", as: .resident,
                json: ["password": "abc\u{0}defghijkl", "current_password": "a brand new password"])
            #expect(nul.status == 422, "\(nul.text)")
            #expect(nul.invalidFields == ["password"])
        }
    }

    @Test("a write whose answer the client refuses is a 406 and writes nothing; //v1 paths get the same checks", arguments: TestDatabases.engines)
    func negotiationAndPaths(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let body: [String: Any] = ["kind": "other", "name": "Not created", "territory_ids": [api.fixture.qpvA.id]]
            let refused = try await api.call(.post, "/v1/partners", as: .admin, json: body, headers: [.accept: "text/xml"])
            #expect(refused.status == 406)
            let list = try await api.call(.get, "/v1/partners", as: .admin)
            #expect(!list.text.contains("Not created"))
            let huge = try await api.call(
                .post, "//v1/partners", as: .admin, raw: Data(repeating: 0x20, count: (1 << 20) + 10),
                headers: [.contentType: "application/json"])
            #expect(huge.status == 413)
            #expect(try await api.call(.get, "//v1/me").status == 401)
        }
    }

    @Test("logins are rate limited per email with Retry-After", arguments: [Engine.sqlite])
    func rateLimit(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            var statuses: [Int] = []
            for _ in 0..<11 {
                statuses.append(try await api.call(.post, "/v1/auth/token", json: ["email": "nobody@x.test", "password": "guess"]).status)
            }
            #expect(statuses.prefix(10).allSatisfy { $0 == 401 })
            let limited = try await api.call(.post, "/v1/auth/token", json: ["email": "NOBODY@x.test", "password": "guess"])
            #expect(limited.status == 429)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
        }
    }

    /// Every text value of every table, to search for secrets.
    static func everything(in database: any Database) async throws -> String {
        try await database.read { db in
            var text = ""
            for table in ["users", "access_tokens", "idempotency_records", "events", "partners"] {
                for row in try await db.select().column(SQLLiteral.all).from(table).all() {
                    for column in row.allColumns {
                        if let value = try? row.decode(column: column, as: String.self) { text += value + "\n" }
                    }
                }
            }
            return text
        }
    }
}
