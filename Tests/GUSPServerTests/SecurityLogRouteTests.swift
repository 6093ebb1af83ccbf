import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

/// `GET /v1/security-events` over a real socket: the entries carry the client's address.
@Suite("Security log route")
struct SecurityLogRouteTests {
    @Test("a failed and a limited login appear for the admin with the client address; others get 403", arguments: TestDatabases.engines)
    func failedLogins(engine: Engine) async throws {
        try await TestApp.run(engine, .live) { api in
            let f = api.fixture
            #expect(try await api.call(.post, "/v1/auth/token", json: ["email": "elected@a.test", "password": "pas le bon"]).status == 401)
            #expect(try await api.call(.post, "/v1/auth/token", json: ["email": "elected@a.test", "password": f.password]).status == 201)
            for _ in 0..<12 {
                _ = try await api.call(.post, "/v1/auth/token", json: ["email": "guess@a.test", "password": "pas le bon"])
            }
            let page = try await api.call(.get, "/v1/security-events?limit=100", as: .admin)
            #expect(page.status == 200, "\(page.text)")
            let entries = try #require(page.json["data"] as? [[String: Any]])
            let kinds = entries.compactMap { $0["kind"] as? String }
            #expect(kinds.filter { $0 == "login_failed" }.count == 11)
            // Refused by the limit: logged once, however many refusals follow.
            #expect(kinds.filter { $0 == "login_limited" }.count == 1)
            let failed = try #require(entries.first { $0["kind"] as? String == "login_failed" })
            #expect(failed["user_id"] as? String == f.users[.elected]!.id)
            #expect(failed["address"] as? String == "127.0.0.1")
            #expect(entries.contains { $0["kind"] as? String == "login_succeeded" && $0["user_id"] as? String == f.users[.elected]!.id })
            #expect(!page.text.contains("@a.test"))

            let byKind = try await api.call(.get, "/v1/security-events?kind=login_succeeded", as: .admin)
            #expect((byKind.json["data"] as? [[String: Any]])?.count == 1)
            let badKind = try await api.call(.get, "/v1/security-events?kind=guessed", as: .admin)
            #expect(badKind.status == 400 || badKind.status == 422)
            for role in [Role.coordinator, .elected, .technician, .resident, .partnerSystem] {
                #expect(try await api.call(.get, "/v1/security-events", as: role).status == 403)
            }
            #expect(try await api.call(.get, "/v1/security-events").status == 401)
        }
    }
}
