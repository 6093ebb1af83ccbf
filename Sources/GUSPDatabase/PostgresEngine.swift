import Logging
import NIOSSL
import PostgresKit
import PostgresNIO
import SQLKit

/// PostgreSQL through postgres-nio's `PostgresClient`, whose run loop this type owns.
public final class PostgresEngine: Database {
    public let engine = Engine.postgres
    private let client: PostgresClient
    private let runTask: Task<Void, Never>
    private let logger: Logger
    /// Where it connects (another engine on the same location is another instance on the same database).
    public let location: PostgresLocation

    public init(location: PostgresLocation, logger: Logger) throws {
        self.location = location
        let tls: PostgresClient.Configuration.TLS
        switch location.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require: tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.username,
            password: location.password, database: location.database, tls: tls)
        configuration.options.maximumConnections = location.poolSize
        configuration.options.minimumConnections = 0
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        self.runTask = Task { await client.run() }
    }

    public func read<Result: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await StorageFailure.guarding {
            try await client.withConnection { connection in
                try await body(live(connection))
            }
        }
    }

    /// Failed writes for want of storage, for `/ready` (see `StorageUnavailable`).
    private let health = WriteHealth()
    public var writeProblem: String? { health.current }

    public func probeWrites() async -> String? {
        await health.probe {
            try await WriteHealth.probe({ statement in try await writeWithoutWatching { db in try await db.raw(statement).run() } }, engine: engine)
        }
    }

    public func write<Result: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        guard let record = CommandRecord.takeCurrent() else { return try await health.watching { try await writeWithoutWatching(body) } }
        return try await record.settling {
            try await health.watching {
                try await writeWithoutWatching { db in
                    try await record.write(db)
                    return try await body(db)
                }
            }
        }
    }

    private func writeWithoutWatching<Result: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        // BEGIN/COMMIT by hand rather than `withTransaction`, which wraps the body's errors.
        try await StorageFailure.guarding {
            try await client.withConnection { connection in
                try await live(connection).inTransaction(body)
            }
        }
    }

    /// The connection's SQL, whose queries end even if the server drops it (`LiveConnectionDatabase`).
    private func live(_ connection: PostgresConnection) -> any SQLDatabase {
        LiveConnectionDatabase(connection: connection, base: connection.sql(queryLogLevel: nil, logger: logger))
    }

    public func shutdown() async {
        runTask.cancel()
        await runTask.value
    }
}
