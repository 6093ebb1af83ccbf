import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import HummingbirdTesting
import Testing

@Suite("Live server")
struct LiveServerTests {
    @Test("over a real socket: log in, read partners, create one with an idempotency key", arguments: TestDatabases.engines)
    func realSocket(engine: Engine) async throws {
        try await TestApp.run(engine, .live) { api in
            let login = try await api.call(
                .post, "/v1/auth/token",
                json: ["email": "coordinator@a.test", "password": api.fixture.password])
            #expect(login.status == 201)
            let token = try #require(login.json["token"] as? String)
            let partners = try await api.call(.get, "/v1/partners", token: token)
            #expect((partners.json["data"] as? [Any])?.count == 2)
            let body: [String: Any] = ["kind": "centre_social", "name": "Centre social Fontbarlettes", "territory_ids": [api.fixture.qpvA.id]]
            let created = try await api.call(.post, "/v1/partners", token: token, json: body, headers: [.idempotencyKey: "live-1"])
            let replayed = try await api.call(.post, "/v1/partners", token: token, json: body, headers: [.idempotencyKey: "live-1"])
            #expect(created.status == 201, "\(created.text)")
            #expect(replayed.status == 201, "\(replayed.text)")
            #expect(created.json["id"] as? String == replayed.json["id"] as? String)
            #expect(created.headers[.eTag] == "\"1\"")
        }
    }
}
