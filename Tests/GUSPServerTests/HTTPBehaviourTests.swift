import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import HTTPTypes
import Testing

@Suite("HTTP behaviour")
struct HTTPBehaviourTests {
    @Test("no token or a bad token is a 401 problem with WWW-Authenticate", arguments: TestDatabases.engines)
    func unauthenticated(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            for token: String? in [nil, "gusp_pat_forged", "Basic abc"] {
                var headers: HTTPFields = [:]
                if let token { headers[.authorization] = token.hasPrefix("Basic") ? token : "Bearer \(token)" }
                let reply = try await api.call(.get, "/v1/me", headers: headers)
                #expect(reply.status == 401)
                #expect(reply.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                #expect(reply.headers[.contentType] == "application/problem+json")
                #expect(reply.json["status"] as? Int == 401)
            }
        }
    }

    @Test("malformed JSON is 400, invalid fields are 422 with the list, wrong media type is 415", arguments: TestDatabases.engines)
    func badBodies(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let malformed = try await api.call(
                .post, "/v1/partners", as: .admin, raw: Data("{\"kind\":".utf8),
                headers: [.contentType: "application/json"])
            #expect(malformed.status == 400)
            #expect(malformed.headers[.contentType] == "application/problem+json")
            let missing = try await api.call(.post, "/v1/partners", as: .admin, json: ["name": "Sans type"])
            #expect(missing.status == 422)
            #expect(missing.invalidFields == ["kind"])
            let invalid = try await api.call(.post, "/v1/partners", as: .admin, json: ["kind": "ville", "name": " ", "siren": "123456789"])
            #expect(invalid.status == 422)
            #expect(Set(invalid.invalidFields) == ["name", "siren"])
            let wrongEnum = try await api.call(.post, "/v1/partners", as: .admin, json: ["kind": "mairie", "name": "X"])
            #expect(wrongEnum.status == 422, "\(wrongEnum.text)")
            #expect(wrongEnum.invalidFields == ["kind"])
            let text = try await api.call(
                .post, "/v1/partners", as: .admin, raw: Data("kind=ville".utf8),
                headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(text.status == 415)
            let huge = try await api.call(
                .post, "/v1/partners", as: .admin,
                raw: Data(repeating: UInt8(ascii: " "), count: (1 << 20) + 1),
                headers: [.contentType: "application/json"])
            #expect(huge.status == 413)
            #expect(huge.headers[.contentType] == "application/problem+json")
        }
    }

    @Test("an unknown route is a 404 problem; request ids are echoed or made", arguments: TestDatabases.engines)
    func routesAndRequestIds(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let unknown = try await api.call(.get, "/v1/nothing-here", as: .admin, headers: [HTTPField.Name("X-Request-Id")!: "abc-123"])
            #expect(unknown.status == 404)
            #expect(unknown.headers[.contentType] == "application/problem+json")
            #expect(unknown.headers[HTTPField.Name("X-Request-Id")!] == "abc-123")
            let made = try await api.call(.get, "/health", headers: [HTTPField.Name("X-Request-Id")!: "bad id with spaces"])
            #expect(made.headers[HTTPField.Name("X-Request-Id")!]?.hasPrefix("req_") == true)
        }
    }

    @Test("a route asked with a method it does not answer is a 405 problem listing the methods it does", arguments: TestDatabases.engines)
    func methodNotAllowed(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let cases: [(HTTPRequest.Method, String, String)] = [
                (.put, "/v1/signalements", "GET, HEAD, POST"),
                (.delete, "/v1/signalements/sig_01ANYTHING", "GET, HEAD, PATCH"),
                (.post, "/health", "GET, HEAD"),
                (.delete, "/open311/v2/services.json", "GET, HEAD, POST"),
                // A fixed name beside a capture is its own route: the capture's methods are not offered there.
                (.get, "/v1/land-parcels/import", "POST"),
                (.put, "/v1/land-parcels/import", "POST"),
            ]
            for (method, path, allowed) in cases {
                let reply = try await api.call(method, path, as: .admin)
                #expect(reply.status == 405, "\(method) \(path)")
                #expect(reply.headers[.allow] == allowed, "\(method) \(path)")
                if path.hasPrefix("/open311/") {
                    // Under Open311, its own error list, in the path's format.
                    #expect(reply.headers[.contentType] == "application/json; charset=utf-8")
                    #expect(reply.text.contains("\"code\":405"))
                } else {
                    #expect(reply.headers[.contentType] == "application/problem+json")
                    #expect(reply.json["type"] as? String == "https://gusp.dev/problems/method-not-allowed")
                }
            }
            // Without a token too: the method is wrong whoever asks, and nothing is revealed that the contract does not say.
            #expect(try await api.call(.put, "/v1/signalements").status == 405)
            // The right method still reaches the route, HEAD wherever GET does (without a body), and an unknown path is still 404.
            #expect(try await api.call(.get, "/v1/signalements", as: .admin).status == 200)
            let head = try await api.call(.head, "/health")
            #expect(head.status == 200, "\(head.text)")
            #expect(head.body.isEmpty)
            #expect(try await api.call(.delete, "/v1/nothing-here", as: .admin).status == 404)
            #expect(try await api.call(.get, "/v1/signalements/a/b/c", as: .admin).status == 404)
        }
    }

    @Test("health, readiness, metrics and the contract are served", arguments: TestDatabases.engines)
    func operations(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            #expect(try await api.call(.get, "/health").status == 200)
            let ready = try await api.call(.get, "/ready")
            #expect(ready.status == 200)
            #expect(ready.json["schema_version"] as? Int == Migration.all.last!.number)
            #expect(ready.json["engine"] as? String == engine.rawValue)
            _ = try await api.call(.get, "/v1/partners", as: .admin)
            let metrics = try await api.call(.get, "/metrics")
            #expect(metrics.text.contains("gusp_http_requests_total{"))
            #expect(metrics.text.contains("route=\"/v1/partners\""))
            let contract = try await api.call(.get, "/openapi.yaml")
            #expect(contract.status == 200)
            #expect(contract.body == (try Data(contentsOf: Repository.root.appendingPathComponent("openapi.yaml"))))
        }
    }

    @Test("Idempotency-Key replays the first answer and refuses another body", arguments: TestDatabases.engines)
    func idempotency(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let key: HTTPFields = [.idempotencyKey: "create-regie-1"]
            let body = ["kind": "association", "name": "Régie de quartier", "territory_ids": [api.fixture.qpvA.id]] as [String: Any]
            let first = try await api.call(.post, "/v1/partners", as: .coordinator, json: body, headers: key)
            let again = try await api.call(.post, "/v1/partners", as: .coordinator, json: body, headers: key)
            #expect(first.status == 201, "\(first.text)")
            #expect(again.status == 201, "\(again.status) \(again.text)")
            #expect(first.json["id"] as? String == again.json["id"] as? String)
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            var other = body
            other["name"] = "Autre régie"
            #expect(try await api.call(.post, "/v1/partners", as: .coordinator, json: other, headers: key).status == 409)
            let list = try await api.call(.get, "/v1/partners?territory=\(api.fixture.qpvA.id)", as: .admin)
            #expect((list.json["data"] as? [[String: Any]])?.filter { $0["name"] as? String == "Régie de quartier" }.count == 1)
        }
    }

    @Test("a request refused before it wrote leaves its Idempotency-Key free", arguments: TestDatabases.engines)
    func idempotencyAfterRefusal(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let key: HTTPFields = [.idempotencyKey: "create-regie-2"]
            let refused = try await api.call(
                .post, "/v1/partners", as: .coordinator, json: ["kind": "association", "name": "", "territory_ids": [api.fixture.qpvA.id]],
                headers: key)
            #expect(refused.status == 422, "\(refused.text)")
            let body = ["kind": "association", "name": "Régie de quartier", "territory_ids": [api.fixture.qpvA.id]] as [String: Any]
            let created = try await api.call(.post, "/v1/partners", as: .coordinator, json: body, headers: key)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.headers[HTTPField.Name("Idempotent-Replayed")!] == nil)
            let again = try await api.call(.post, "/v1/partners", as: .coordinator, json: body, headers: key)
            #expect(again.body == created.body)
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
        }
    }

    @Test("PATCH honours If-Match and answers a new ETag; null clears a field", arguments: TestDatabases.engines)
    func conditionalPatch(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let path = "/v1/partners/\(api.fixture.partnerA.id)"
            let read = try await api.call(.get, path, as: .admin)
            #expect(read.headers[.eTag] == "\"1\"")
            let set = try await api.call(.patch, path, as: .admin, json: ["siren": "732829320"], headers: [.ifMatch: "\"1\""])
            #expect(set.status == 200, "\(set.text)")
            #expect(set.headers[.eTag] == "\"2\"")
            let stale = try await api.call(.patch, path, as: .admin, json: ["name": "X"], headers: [.ifMatch: "\"1\""])
            #expect(stale.status == 412)
            #expect(stale.headers[.eTag] == "\"2\"")
            let weak = try await api.call(.patch, path, as: .admin, json: ["name": "X"], headers: [.ifMatch: "W/\"2\""])
            #expect(weak.status == 412)
            let cleared = try await api.call(.patch, path, as: .admin, json: ["siren": NSNull()], headers: [.ifMatch: "\"2\""])
            #expect(cleared.status == 200)
            #expect(cleared.json["siren"] == nil)
            #expect(cleared.json["name"] as? String == "Valence Romans Habitat")
        }
    }

    @Test("lists page with limit and cursor; a bad limit or cursor is 422", arguments: TestDatabases.engines)
    func paging(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            var names: [String] = []
            var path: String? = "/v1/categories?limit=5"
            while let next = path {
                let page = try await api.call(.get, next, as: .resident)
                #expect(page.status == 200)
                let data = page.json["data"] as? [[String: Any]] ?? []
                #expect(data.count <= 5)
                names += data.compactMap { $0["code"] as? String }
                path = (page.json["next_cursor"] as? String).map { "/v1/categories?limit=5&cursor=\($0)" }
            }
            #expect(names.count == 12)
            #expect(Set(names).count == 12)
            #expect(try await api.call(.get, "/v1/categories?limit=501", as: .resident).status == 422)
            #expect(try await api.call(.get, "/v1/categories?cursor=zzz", as: .resident).status == 422)
        }
    }

    @Test("log in, use the token, revoke it; residents register themselves", arguments: TestDatabases.engines)
    func tokens(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let registered = try await api.call(.post, "/v1/residents", json: ["email": "Nadia@Example.org", "password": "une phrase longue"])
            #expect(registered.status == 202, "\(registered.text)")
            #expect(registered.json["status"] as? String == "accepted")
            #expect(registered.json["password"] == nil)
            // The same answer for an address that already has an account: nobody learns who is registered,
            // and the account keeps its password.
            let again = try await api.call(.post, "/v1/residents", json: ["email": "nadia@example.org", "password": "une autre phrase"])
            #expect(again.status == 202)
            #expect(again.json["detail"] as? String == registered.json["detail"] as? String)
            let wrong = try await api.call(.post, "/v1/auth/token", json: ["email": "nadia@example.org", "password": "pas la bonne"])
            #expect(wrong.status == 401)
            let login = try await api.call(.post, "/v1/auth/token", json: ["email": "nadia@example.org", "password": "une phrase longue"])
            #expect(login.status == 201)
            let token = try #require(login.json["token"] as? String)
            #expect(token.hasPrefix("gusp_pat_"))
            let me = try await api.call(.get, "/v1/me", token: token)
            #expect((me.json["user"] as? [String: Any])?["email"] as? String == "Nadia@Example.org")
            #expect(try await api.call(.delete, "/v1/auth/token", token: token).status == 204)
            #expect(try await api.call(.get, "/v1/me", token: token).status == 401)
        }
    }

    @Test("an API key is created once, listed without its secret, and works as partner_system", arguments: TestDatabases.engines)
    func apiKeys(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let path = "/v1/partners/\(api.fixture.partnerA.id)/api-keys"
            let created = try await api.call(.post, path, as: .coordinator, json: ["name": "GMAO"])
            #expect(created.status == 201)
            let key = try #require(created.json["key"] as? String)
            let me = try await api.call(.get, "/v1/me", token: key)
            #expect(me.json["role"] as? String == "partner_system")
            #expect(me.json["partner_id"] as? String == api.fixture.partnerA.id)
            let listed = try await api.call(.get, path, as: .coordinator)
            #expect(!listed.text.contains(key))
            #expect(listed.text.contains("GMAO"))
        }
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}
