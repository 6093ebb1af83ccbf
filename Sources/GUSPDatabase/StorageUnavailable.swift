import PostgresNIO
import SQLKit
import SQLiteNIO
import Synchronization

/// The database cannot write for a reason of the machine, not of the request (the disk is full, the
/// database became read-only, an I/O error, PostgreSQL refuses): a 503 with `Retry-After`, and `/ready`
/// says so until a write succeeds again. Nothing acknowledged is lost: the failed transaction rolled back.
public struct StorageUnavailable: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { "storage unavailable: \(reason)" }

    /// The reason `error` is such a failure, or nil when it is another one.
    package static func reason(of error: any Error) -> String? {
        if let error = error as? StorageUnavailable { return error.reason }
        if let error = error as? SQLiteError { return reason(of: error.reason) }
        if let error = error as? DirectSQLiteError { return reason(ofSQLiteCode: error.code & 0xFF) }
        if let error = error as? PSQLError {
            if let state = error.serverInfo?[.sqlState] {
                switch state {
                case "53100": return "the database's disk is full"
                case "25006": return "the database is read-only"
                case "58030": return "the database had an I/O error"
                case let other where other.hasPrefix("53"): return "the database lacks resources (\(other))"
                // Shutting down, crashed, starting or recovering (57P01–57P03), or the connection failed (08…).
                case let other where other.hasPrefix("57P"): return "PostgreSQL is restarting"
                case let other where other.hasPrefix("08"): return "the connection to PostgreSQL failed"
                default: return nil
                }
            }
            switch error.code {
            case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown:
                return "the connection to PostgreSQL was lost"
            default: return nil
            }
        }
        return nil
    }

    private static func reason(of reason: SQLiteError.Reason) -> String? {
        switch reason {
        case .full: "the disk is full"
        case .readOnly, .readonlyDirectory, .readonlyCantLock, .readonlyInRollback, .readonlyInRecovery, .readonlyBackingMoved:
            "the database is read-only"
        case .ioError, .ioErrorFailedWrite, .ioErrorFailedSync, .ioErrorFailedRead, .ioErrorIncompleteRead, .ioErrorFailedDirSync,
            .ioErrorFailedTruncate, .ioErrorCorruptedFilesystem:
            "the database had an I/O error"
        case .cantOpen, .cantOpenDirectory: "the database cannot be opened"
        default: nil
        }
    }

    private static func reason(ofSQLiteCode code: Int32) -> String? {
        switch code {
        case 13: "the disk is full"  // SQLITE_FULL
        case 8: "the database is read-only"  // SQLITE_READONLY
        case 10: "the database had an I/O error"  // SQLITE_IOERR
        case 14: "the database cannot be opened"  // SQLITE_CANTOPEN
        default: nil
        }
    }
}

/// Whether the last write failed for want of storage: set by a failed write, cleared by a write known
/// to have written (a batch of filings, or the probe `/ready` makes while a problem is recorded): a
/// transaction that wrote nothing commits even on a full disk, and must not say it is over.
package final class WriteHealth: Sendable {
    private let problem = Mutex<String?>(nil)

    package init() {}

    package var current: String? { problem.withLock { $0 } }

    /// Runs a write: records its outcome, and throws a storage failure as `StorageUnavailable`.
    package func watching<Result>(clearing: Bool = false, _ body: () async throws -> Result) async throws -> Result {
        do {
            let result = try await body()
            if clearing { problem.withLock { $0 = nil } }
            return result
        } catch {
            guard let reason = StorageUnavailable.reason(of: error) else { throw error }
            problem.withLock { $0 = reason }
            throw StorageUnavailable(reason: reason)
        }
    }

    /// While a problem is recorded, runs `write` (a write that really writes) and clears the problem when
    /// it commits: the problem it still finds, or nil.
    package func probe(_ write: () async throws -> Void) async -> String? {
        guard current != nil else { return nil }
        do {
            try await watching(clearing: true, write)
            return nil
        } catch {
            return current ?? "\(error)"
        }
    }

    /// The probe's writes, each its own transaction: 128 KB of random text into `storage_probe`, then
    /// deleted. A row rewritten in place proved nothing: it fitted in pages (and WAL) already there
    /// while every filing batch still failed for want of space. Before the migration that makes the
    /// table, the last migration's row rewritten as it is.
    package static func probe(_ write: (SQLQueryString) async throws -> Void, engine: Engine) async throws {
        let fill: SQLQueryString =
            engine == .sqlite
            ? "INSERT INTO storage_probe (data) VALUES (hex(randomblob(65536)))"
            : "INSERT INTO storage_probe (data) SELECT string_agg(md5(random()::text), '') FROM generate_series(1, 4096)"
        do {
            try await write(fill)
        } catch  where StorageUnavailable.reason(of: error) == nil {
            try await write(
                "UPDATE schema_migrations SET applied_at = applied_at WHERE number = (SELECT MAX(number) FROM schema_migrations)")
            return
        }
        try await write("DELETE FROM storage_probe")
    }
}
