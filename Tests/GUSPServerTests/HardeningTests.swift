import AsyncHTTPClient
import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import GUSPServer

/// Regression tests of the audit's findings on the HTTP surface (each failed before its fix).
@Suite("Hardening")
struct HardeningTests {
    @Test(
        "a JSON body naming a member twice is a 400 naming it, so the login limiter and the login read one email",
        arguments: TestDatabases.engines)
    func duplicateMembers(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let twice = try await api.call(
                .post, "/v1/auth/token",
                raw: Data(
                    #"""
                    {"email":"nobody@a.test","password":"guess","email":"coordinator@a.test"}
                    """#.utf8), headers: [.contentType: "application/json"])
            #expect(twice.status == 400, "\(twice.text)")
            #expect(twice.invalidFields == ["email"])
            // The same name spelt with an escape is the same member.
            let escaped = try await api.call(
                .post, "/v1/auth/token",
                raw: Data(
                    #"""
                    {"email":"nobody@a.test","\u0065mail":"coordinator@a.test","password":"guess"}
                    """#.utf8), headers: [.contentType: "application/json"])
            #expect(escaped.status == 400)
            #expect(escaped.invalidFields == ["email"])
            let nested = try await api.call(
                .post, "/v1/signalements", as: .resident,
                raw: Data(
                    #"""
                    {"category_id":"cat_x","description":"ici","location":{"lat":44.93,"long":4.91,"lat":48.1}}
                    """#.utf8), headers: [.contentType: "application/json"])
            #expect(nested.status == 400)
            #expect(nested.invalidFields == ["location.lat"])
            // Names that differ only inside arrays' objects are separate members.
            let fine = try await api.call(
                .post, "/v1/auth/token",
                raw: Data(
                    #"""
                    {"email":"coordinator@a.test","password":"\#(api.fixture.password)"}
                    """#.utf8), headers: [.contentType: "application/json"])
            #expect(fine.status == 201)
        }
    }

    @Test(
        "an If-Match that does not parse fails the precondition (412), never dropped: partner PATCH and signalement moves",
        arguments: TestDatabases.engines)
    func unparsableIfMatch(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            for value in ["\"%zz\"", "\"1%\"", "%", "\"%31\"", "\"+1\"", "\"01\"", "\"1\", \"2\""] {
                let patched = try await api.call(
                    .patch, "/v1/partners/\(f.partnerA.id)", as: .admin, json: ["contact_phone": "04 75 00 00 00"],
                    headers: [.ifMatch: value])
                #expect(patched.status == 412, "If-Match: \(value) answered \(patched.status)")
            }
            #expect(try await api.call(.get, "/v1/partners/\(f.partnerA.id)", as: .admin).json["version"] as? Int == 1)
            let places = try await f.drawContours()
            let filed = try await api.call(
                .post, "/v1/signalements", as: .resident,
                json: [
                    "category_id": try await f.category("voirie"), "description": "nid de poule",
                    "location": ["lat": places.inQPV.lat, "long": places.inQPV.long],
                ])
            let id = try #require(filed.json["id"] as? String)
            let moved = try await api.call(
                .post, "/v1/signalements/\(id)/transitions", as: .admin, json: ["to": "acknowledged"],
                headers: [.ifMatch: "\"%zz\""])
            #expect(moved.status == 412)
            #expect(try await api.call(.get, "/v1/signalements/\(id)", as: .admin).json["status"] as? String == "submitted")
            let right = try await api.call(
                .post, "/v1/signalements/\(id)/transitions", as: .admin, json: ["to": "acknowledged"],
                headers: [.ifMatch: "\"1\""])
            #expect(right.status == 200)
        }
    }

    @Test("one resident account files at most 60 signalements an hour: the 61st is a 429 with Retry-After; others still file")
    func accountWriteLimits() async throws {
        try await TestApp.run(.sqlite) { api in
            let places = try await api.fixture.drawContours()
            let body: [String: Any] = [
                "category_id": try await api.fixture.category("voirie"), "description": "nid de poule",
                "location": ["lat": places.inQPV.lat, "long": places.inQPV.long],
            ]
            for index in 1...60 {
                let filed = try await api.call(.post, "/v1/signalements", as: .resident, json: body)
                #expect(filed.status == 201, "filing \(index): \(filed.text)")
            }
            let limited = try await api.call(.post, "/v1/signalements", as: .resident, json: body)
            #expect(limited.status == 429)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
            // Another account is not limited by this one.
            #expect(try await api.call(.post, "/v1/signalements", as: .technician, json: body).status == 201)
        }
    }

    @Test("every answer says nosniff and forbids rendering and framing", arguments: ["/health", "/v1/me", "/v1/nope", "/open311/v2/services.json"])
    func answerHeaders(path: String) async throws {
        try await TestApp.run(.sqlite) { api in
            let reply = try await api.call(.get, path, as: .resident)
            #expect(reply.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(reply.headers[HTTPField.Name("Content-Security-Policy")!] == "default-src 'none'; frame-ancestors 'none'")
        }
    }

    @Test("Open311 discovery names the configured address, whatever Host the request says")
    func discoveryIgnoresHost() async throws {
        try await TestApp.run(.sqlite) { api in
            let reply = try await api.call(
                .get, "/open311/v2/discovery.json",
                headers: [
                    HTTPField.Name("Host")!: "evil.example",
                    HTTPField.Name("X-Forwarded-Proto")!: "https",
                ])
            #expect(reply.status == 200)
            #expect(!reply.text.contains("evil.example"))
            #expect(reply.text.contains(#"http:\/\/127.0.0.1:0\/open311\/v2"#))
        }
    }

    @Test("a write the database cannot make for want of storage is a 503 problem with Retry-After, naming why")
    func storageUnavailable() {
        let problem = ErrorMapping.problem(for: StorageUnavailable(reason: "the disk is full"))
        #expect(problem.status == 503)
        #expect(problem.headers[.retryAfter] == "5")
        #expect(problem.detail?.hasPrefix("the disk is full") == true)
    }

    @Test("a chunked body that grows past the limit is a 413, not a 500", arguments: [Engine.sqlite])
    func chunkedTooLarge(engine: Engine) async throws {
        try await TestApp.run(engine, .live) { api in
            let port = try #require(api.client.port)
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/partners")
                request.method = .POST
                request.headers.add(name: "content-type", value: "application/json")
                request.headers.add(name: "authorization", value: "Bearer \(api.fixture.tokens[.admin]!)")
                let chunk = ByteBuffer(repeating: UInt8(ascii: " "), count: 64 * 1024)
                let chunks = (0..<24).map { _ in chunk }  // 1.5 MiB, no Content-Length
                request.body = .stream(chunks.async, length: .unknown)
                let response = try await client.execute(request, timeout: .seconds(30))
                #expect(response.status.code == 413)
                #expect(response.headers.first(name: "content-type") == "application/problem+json")
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }
}

extension Array where Element: Sendable {
    /// The elements as an async sequence, for a streamed request body.
    var async: AsyncStream<Element> {
        AsyncStream { continuation in
            for element in self { continuation.yield(element) }
            continuation.finish()
        }
    }
}
