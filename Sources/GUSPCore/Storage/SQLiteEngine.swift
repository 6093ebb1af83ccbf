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
    private let readerCount: Int

    public static func open(path: String, readers readerCount: Int = 4, logger: Logger) async throws -> SQLiteEngine {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let writer = try await openConnection(path: url.path, logger: logger)
        _ = try await writer.query("PRAGMA journal_mode = WAL")
        _ = try await writer.query("PRAGMA synchronous = NORMAL")
        // Statement journals (multi-row inserts and upserts keep one in case a row fails) in memory, not
        // in a temporary file; and a larger page cache for the one connection that writes every index.
        _ = try await writer.query("PRAGMA temp_store = MEMORY")
        _ = try await writer.query("PRAGMA cache_size = -16000")
        var readers: [SQLiteConnection] = []
        for _ in 0..<readerCount {
            readers.append(try await openConnection(path: url.path, logger: logger))
        }
        return SQLiteEngine(path: url.path, writer: writer, readers: readers)
    }

    private init(path: String, writer: SQLiteConnection, readers: [SQLiteConnection]) {
        self.path = path
        self.writer = ConnectionQueue([writer])
        self.readers = ConnectionQueue(readers)
        self.readerCount = readers.count
    }

    private static func openConnection(path: String, logger: Logger) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        _ = try await connection.query("PRAGMA busy_timeout = 5000")
        _ = try await connection.query("PRAGMA foreign_keys = ON")
        return connection
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

    public func write<Result: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await StorageFailure.guarding {
            try await writer.withConnection { connection in
                // IMMEDIATE takes the write lock up front: no read-to-write upgrade can fail mid-way.
                try await connection.sql(queryLogLevel: nil).inTransaction(begin: "BEGIN IMMEDIATE", body)
            }
        }
    }

    public func shutdown() async {
        for connection in await readers.drain(count: readerCount) { try? await connection.close() }
        for connection in await writer.drain(count: 1) { try? await connection.close() }
    }
}
