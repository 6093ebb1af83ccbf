import ArgumentParser
import GUSPCore
import GUSPServer
import ServiceLifecycle
import UnixSignals

struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the background workers alone (escalation, webhook delivery, retention), without the HTTP API.")

    func run() async throws {
        let runtime = try await Runtime.start()
        do {
            if runtime.settings.migrateOnStart { try await runtime.migrate() }
            let group = ServiceGroup(
                configuration: .init(
                    services: Workers.all(store: runtime.store, logger: runtime.logger, interval: .seconds(runtime.settings.workerIntervalSeconds))
                        .map { .init(service: $0) },
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: runtime.logger))
            try await group.run()
            runtime.logger.info("gusp worker stopped")
        } catch {
            await runtime.shutdown()
            throw error
        }
        await runtime.shutdown()
    }
}
