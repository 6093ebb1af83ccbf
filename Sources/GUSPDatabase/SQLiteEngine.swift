import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit

/// SQLite in one file, WAL mode: one writer connection (writes are serialised here rather than
/// contending on SQLite's lock) and a few reader connections that read concurrently.
public final class SQLiteEngine: Database {
    public let engine = Engine.sqlite
    public let path: String
    private let writer: ConnectionQueue<SQLiteConnection>
    private let readers: ConnectionQueue<SQLiteConnection>

    /// Reader and writer connections lent now, and how many there are, for `/metrics`.
    public var connections: (readersInUse: Int, readers: Int, writerInUse: Int) {
        (readers.inUse, readers.capacity, writer.inUse)
    }

    /// The size of the write-ahead log (`<path>-wal`) in bytes, 0 when there is none.
    public var walBytes: Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? NSNumber)?.int64Value ?? 0
    }
    private let readerCount: Int
    /// The group commit's writer (`DirectSQLite`), used only while `writer` is held.
    package let direct: DirectSQLite

    public static func open(path: String, readers readerCount: Int = 4, logger: Logger) async throws -> SQLiteEngine {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let writer = try await openConnection(path: url.path, logger: logger)
        let direct: DirectSQLite
        do {
            _ = try await writer.query("PRAGMA journal_mode = WAL")
            for pragma in writerPragmas { _ = try await writer.query(pragma) }
            try await provesWritable(writer)
            direct = try await DirectSQLite.open(path: url.path, pragmas: ["PRAGMA foreign_keys = ON"] + writerPragmas)
        } catch {
            try? await writer.close()
            throw ConfigurationError(
                "the SQLite database \(url.path) cannot be opened for writing (\(error)): check that the file and its directory are writable and the file system is not read-only or full"
            )
        }
        var readers: [SQLiteConnection] = []
        do {
            for _ in 0..<readerCount {
                readers.append(try await openConnection(path: url.path, logger: logger))
            }
        } catch {
            for reader in readers { try? await reader.close() }
            await direct.close()
            try? await writer.close()
            throw error
        }
        return SQLiteEngine(path: url.path, writer: writer, direct: direct, readers: readers)
    }

    /// Both writers': statement journals (multi-row inserts and upserts keep one in case a row fails)
    /// in memory, not in a temporary file; and a larger page cache for connections that write every index.
    private static let writerPragmas = ["PRAGMA synchronous = NORMAL", "PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -16000"]

    private init(path: String, writer: SQLiteConnection, direct: DirectSQLite, readers: [SQLiteConnection]) {
        self.path = path
        self.writer = ConnectionQueue([writer])
        self.direct = direct
        self.readers = ConnectionQueue(readers)
        self.readerCount = readers.count
    }

    private static func openConnection(path: String, logger: Logger) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        do {
            _ = try await connection.query("PRAGMA busy_timeout = 5000")
            _ = try await connection.query("PRAGMA foreign_keys = ON")
        } catch {
            // A connection must be closed before it goes (SQLiteKit traps otherwise).
            try? await connection.close()
            throw error
        }
        return connection
    }

    /// A database opened read-only (a read-only file or file system) refuses its first write, not its
    /// opening: rewrite the header's user version as it is, so the server does not start on it.
    private static func provesWritable(_ connection: SQLiteConnection) async throws {
        let version = try await connection.query("PRAGMA user_version").first?.column("user_version")?.integer ?? 0
        _ = try await connection.query("PRAGMA user_version = \(version)")
    }

    public func read<Result: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await StorageFailure.guarding {
            try await readers.withConnection { connection in
                try await body(connection.sql(queryLogLevel: nil))
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
        try await StorageFailure.guarding {
            try await writer.withConnection { connection in
                // IMMEDIATE takes the write lock up front: no read-to-write upgrade can fail mid-way.
                try await connection.sql(queryLogLevel: nil).inTransaction(begin: "BEGIN IMMEDIATE", body)
            }
        }
    }

    /// Runs `body` in one transaction of the direct writer, holding the writer meanwhile (see `DirectSQLite`).
    /// The writer is taken and given back on the direct writer's thread: a caller on the shared pool would
    /// otherwise hold it, once its transaction is over, until the pool (busy under load) resumed it.
    package func writeDirectly<Result: Sendable>(_ body: @escaping @Sendable (DirectSQLite) throws -> Result) async throws -> Result {
        try await health.watching(clearing: true) { try await writeDirectlyWithoutWatching(body) }
    }

    private func writeDirectlyWithoutWatching<Result: Sendable>(
        _ body: @escaping @Sendable (DirectSQLite) throws -> Result
    ) async throws -> Result {
        try await withTaskExecutorPreference(direct) {
            try await writer.withConnection { _ in try await direct.transaction(body) }
        }
    }

    public func shutdown() async {
        for connection in await readers.drain(count: readerCount) { try? await connection.close() }
        for connection in await writer.drain(count: 1) { try? await connection.close() }
        await direct.close()
    }
}
