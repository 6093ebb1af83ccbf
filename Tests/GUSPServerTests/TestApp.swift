import Foundation
import GUSPCore
import GUSPDatabase
import GUSPServer
import GUSPTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// An answer as a client reads it.
struct Reply {
    var status: Int
    var headers: HTTPFields
    var body: Data

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    var text: String { String(decoding: body, as: UTF8.self) }
    /// The field names of a 422's `errors`.
    var invalidFields: [String] { (json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? [] }
}

/// A client that speaks to a gusp application under test.
struct API {
    let client: any TestClientProtocol
    let fixture: Fixture

    func call(
        _ method: HTTPRequest.Method, _ path: String, as role: Role? = nil, token: String? = nil, json: Any? = nil,
        raw: Data? = nil, headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        if let bearer = token ?? role.flatMap({ fixture.tokens[$0] }) { headers[.authorization] = "Bearer \(bearer)" }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        } else if let raw {
            body = ByteBuffer(bytes: raw)
        }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            Reply(status: Int(response.status.code), headers: response.headers, body: Data(buffer: response.body))
        }
    }
}

enum TestApp {
    /// A gusp application over a fresh database of `engine` with the A/B fixture, driven through its router
    /// (or, with `.live`, over a real socket).
    static func run(
        _ engine: Engine, _ mode: TestingSetup = .router, clock: any WallClock = SystemWallClock(),
        settings stored: Store.Settings = Store.Settings(),
        server adjust: @Sendable (inout ServerSettings) -> Void = { _ in },
        _ body: @escaping @Sendable (API) async throws -> Void
    ) async throws {
        try await TestDatabases.withStore(engine, clock: clock, settings: stored) { store in
            let fixture = try await Fixture.make(store)
            var settings = ServerSettings()
            settings.port = 0
            adjust(&settings)
            var logger = Logger(label: "gusp-test")
            logger.logLevel = .critical
            let app = try buildApplication(settings: settings, store: store, logger: logger)
            try await app.test(mode) { client in
                try await body(API(client: client, fixture: fixture))
            }
        }
    }
}
