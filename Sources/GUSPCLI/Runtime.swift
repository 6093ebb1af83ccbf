import Foundation
import GUSPCore
import GUSPServer
import Logging

/// What every command needs: settings from the environment, logging, and the store.
struct Runtime {
    let settings: ServerSettings
    let logger: Logger
    let store: Store

    static func start(adjust: (inout ServerSettings) -> Void = { _ in }) async throws -> Runtime {
        var settings = try ServerSettings(environment: ProcessInfo.processInfo.environment)
        adjust(&settings)
        let level = settings.logLevel
        let format = settings.logFormat
        LoggingSystem.bootstrap { StructuredLogHandler(label: $0, level: level, format: format) }
        let logger = Logger(label: "gusp")
        let database = try await settings.openDatabase(logger: logger)
        let store = Store(database: database, passwords: PasswordHasher(cost: settings.bcryptCost), settings: settings.storeSettings)
        return Runtime(settings: settings, logger: logger, store: store)
    }

    func migrate() async throws {
        try await Migrator(database: store.database).migrate(logger: logger)
    }

    func shutdown() async {
        await store.database.shutdown()
    }
}

/// Writes a line to standard output at once (not buffered: the server keeps running after it).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
