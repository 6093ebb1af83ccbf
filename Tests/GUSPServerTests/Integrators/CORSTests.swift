import Foundation
import GUSPCore
import GUSPDatabase
import GUSPServer
import GUSPTestSupport
import HTTPTypes
import Testing

@Suite("CORS for front ends on another origin")
struct CORSTests {
    static let app = "https://app.example.org"

    static func allowing(_ list: String) -> @Sendable (inout ServerSettings) -> Void {
        { settings in settings.cors = try! CORSPolicy(list: list) }
    }

    static func preflight(_ api: API, _ path: String, origin: String, method: String, headers: String) async throws -> Reply {
        try await api.call(
            .options, path,
            headers: [.origin: origin, .accessControlRequestMethod: method, .accessControlRequestHeaders: headers])
    }

    @Test("with no origin configured, nothing is allowed", arguments: TestDatabases.engines)
    func closedByDefault(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let read = try await api.call(.get, "/v1/me", as: .coordinator, headers: [.origin: Self.app])
            #expect(read.status == 200)
            #expect(read.headers[.accessControlAllowOrigin] == nil)
            let asked = try await Self.preflight(api, "/v1/signalements", origin: Self.app, method: "POST", headers: "content-type")
            #expect(asked.headers[.accessControlAllowOrigin] == nil)
            #expect(asked.status == 405)
        }
    }

    @Test("a listed origin's preflight gets the route's methods and headers", arguments: TestDatabases.engines)
    func preflightAllowed(engine: Engine) async throws {
        try await TestApp.run(engine, server: Self.allowing("HTTPS://App.Example.org:443, http://127.0.0.1:5173")) { api in
            let asked = try await Self.preflight(
                api, "/v1/signalements", origin: Self.app, method: "POST", headers: "authorization, content-type, idempotency-key")
            #expect(asked.status == 204)
            #expect(asked.headers[.accessControlAllowOrigin] == Self.app)
            #expect(asked.headers[.accessControlAllowMethods] == "GET, HEAD, POST")
            let allowed = Set((asked.headers[.accessControlAllowHeaders] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(allowed.isSuperset(of: ["Authorization", "Content-Type", "Idempotency-Key", "If-Match", "If-None-Match"]))
            #expect(asked.headers[.accessControlMaxAge] == "600")
            #expect(asked.headers[values: .vary].joined().contains("Origin"))
            #expect(asked.headers[.accessControlAllowCredentials] == nil)
            let one = try await Self.preflight(api, "/v1/partners/par_x", origin: "http://127.0.0.1:5173", method: "PATCH", headers: "if-match")
            #expect(one.status == 204)
            #expect(one.headers[.accessControlAllowMethods] == "DELETE, GET, HEAD, PATCH")
            #expect(one.headers[.accessControlAllowHeaders]?.contains("Idempotency-Key") == false)
            let nowhere = try await Self.preflight(api, "/v1/nothing", origin: Self.app, method: "GET", headers: "authorization")
            #expect(nowhere.status == 404)
        }
    }

    @Test("answers to a listed origin, errors included, expose the headers clients read", arguments: TestDatabases.engines)
    func actualRequests(engine: Engine) async throws {
        try await TestApp.run(engine, server: Self.allowing(Self.app)) { api in
            let read = try await api.call(.get, "/v1/partners", as: .coordinator, headers: [.origin: Self.app])
            #expect(read.status == 200)
            #expect(read.headers[.accessControlAllowOrigin] == Self.app)
            let exposed = read.headers[.accessControlExposeHeaders] ?? ""
            for name in ["ETag", "Location", "Retry-After", "X-Request-Id", "Idempotent-Replayed"] { #expect(exposed.contains(name)) }
            #expect(read.headers[values: .vary].contains("Origin"))
            let refused = try await api.call(.get, "/v1/me", headers: [.origin: Self.app])
            #expect(refused.status == 401)
            #expect(refused.headers[.accessControlAllowOrigin] == Self.app, "a front end must be able to read the 401")
            let noOrigin = try await api.call(.get, "/v1/me", as: .coordinator)
            #expect(noOrigin.headers[values: .vary].contains("Origin"), "caches must not serve one origin's answer to another")
        }
    }

    @Test("another origin, scheme or port is refused", arguments: TestDatabases.engines)
    func otherOrigins(engine: Engine) async throws {
        try await TestApp.run(engine, server: Self.allowing(Self.app)) { api in
            for origin in ["https://evil.example", "http://app.example.org", "https://app.example.org:8443", "null"] {
                let asked = try await Self.preflight(api, "/v1/signalements", origin: origin, method: "POST", headers: "content-type")
                #expect(asked.status == 403, "\(origin)")
                #expect(asked.headers[.accessControlAllowOrigin] == nil)
                let read = try await api.call(.get, "/v1/me", as: .coordinator, headers: [.origin: origin])
                #expect(read.status == 200)
                #expect(read.headers[.accessControlAllowOrigin] == nil, "\(origin)")
            }
        }
    }

    @Test("* opens the public routes only", arguments: TestDatabases.engines)
    func wildcardOnPublicRoutes(engine: Engine) async throws {
        try await TestApp.run(engine, server: Self.allowing("*")) { api in
            for path in ["/health", "/openapi.yaml", "/open311/v2/services.json", "/v1/public/signalements/GUSP-26-00001"] {
                let read = try await api.call(.get, path, headers: [.origin: "https://anyone.example"])
                #expect(read.headers[.accessControlAllowOrigin] == "*", "\(path): \(read.status)")
            }
            let private_ = try await api.call(.get, "/v1/me", as: .coordinator, headers: [.origin: "https://anyone.example"])
            #expect(private_.headers[.accessControlAllowOrigin] == nil)
            let asked = try await Self.preflight(api, "/v1/me", origin: "https://anyone.example", method: "GET", headers: "authorization")
            #expect(asked.status == 403)
            let filing = try await Self.preflight(
                api, "/open311/v2/requests.json", origin: "https://anyone.example", method: "POST", headers: "content-type")
            #expect(filing.status == 403, "filing with an api_key is not public")
        }
    }

    @Test("GUSP_CORS_ORIGINS is parsed and a wrong entry is named")
    func settings() throws {
        let parsed = try ServerSettings(environment: ["GUSP_CORS_ORIGINS": "https://a.example, http://localhost:3000 ,*"])
        #expect(parsed.cors.origins == ["https://a.example", "http://localhost:3000"])
        #expect(parsed.cors.anyOriginOnPublicRoutes)
        #expect(try ServerSettings(environment: [:]).cors.isEnabled == false)
        for wrong in ["https://a.example/app", "ftp://a.example", "a.example", "https://a.example?x=1"] {
            do {
                _ = try ServerSettings(environment: ["GUSP_CORS_ORIGINS": wrong])
                Issue.record("\(wrong) was accepted")
            } catch {
                #expect("\(error)".contains(wrong))
            }
        }
    }
}
