import Foundation
import GUSPCore
import GUSPDatabase
import GUSPServer
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("Version and readiness")
struct VersionTests {
    @Test("the version is the contract's and the changelog's latest")
    func version() throws {
        let contract = try String(contentsOf: Repository.root.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        #expect(contract.contains("\n  version: \(GUSPVersion.current)\n"))
        let changelog = try String(contentsOf: Repository.root.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
        let latest = changelog.split(separator: "\n").first { $0.hasPrefix("## ") }
        #expect(latest == "## \(GUSPVersion.current)")
    }

    @Test("/ready on a database without its migrations says where it is and what it needs")
    func readinessWithoutMigrations() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gusp-ready-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let database = try await SQLiteEngine.open(path: path, logger: Logger(label: "test"))
        let store = Store(database: database)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var settings = ServerSettings()
        settings.port = 0
        let app = try buildApplication(settings: settings, store: store, logger: logger)
        try await app.test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status.code == 503)
                let text = String(buffer: response.body)
                #expect(text.contains("the database is at 0, this build needs \(Migration.all.last!.number)"), "\(text)")
            }
        }
        await database.shutdown()
    }
}
