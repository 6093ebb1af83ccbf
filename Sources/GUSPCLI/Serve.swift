import ArgumentParser
import Foundation
import GUSPCore
import GUSPServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the HTTP API and run the background workers (escalation, webhook delivery, retention).")

    @Option(help: "Address to listen on (default: GUSP_HOST or 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default: GUSP_PORT or 8080).") var port: Int?
    @Flag(help: "Run no background workers in this process.") var noWorkers = false
    @Flag(help: "On an empty database, load the Valence demo data and print one token per role.") var demo = false

    func run() async throws {
        let runtime = try await Runtime.start { settings in
            if let host { settings.host = host }
            if let port { settings.port = port }
        }
        do {
            if runtime.settings.migrateOnStart { try await runtime.migrate() }
            if demo { try await loadDemo(runtime) }
            let workers =
                noWorkers
                ? []
                : Workers.all(
                    store: runtime.store, logger: runtime.logger,
                    interval: .seconds(runtime.settings.workerIntervalSeconds))
            let app = try buildApplication(settings: runtime.settings, store: runtime.store, services: workers, logger: runtime.logger)
            try await serve(app, settings: runtime.settings, logger: runtime.logger)
            runtime.logger.info("gusp stopped")
        } catch {
            await runtime.shutdown()
            throw error
        }
        await runtime.shutdown()
    }

    private func loadDemo(_ runtime: Runtime) async throws {
        guard let credentials = try await DemoData.loadIfEmpty(into: runtime.store) else {
            runtime.logger.notice("demo data not loaded: the database already holds partners or users")
            return
        }
        say("Demo data loaded (Valence, 4 QPVs, 5 partners). One token per role, valid 90 days:")
        for credential in credentials {
            say("  \(credential.role.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(credential.token)  \(credential.name)")
        }
        say("Every demo account's password is demo-password.")
    }
}
