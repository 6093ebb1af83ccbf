import SQLKit

/// The two storage engines gusp runs on. SQL is shared; the few differences are named here.
public enum Engine: String, Sendable {
    case sqlite
    case postgres
}

/// A pool of connections to one database, SQLite or PostgreSQL, behind SQLKit.
///
/// Every command that writes runs in `write`: one transaction, committed when the body returns and
/// rolled back when it throws, so a failed command leaves nothing behind.
public protocol Database: Sendable {
    var engine: Engine { get }

    /// Runs `body` on one connection outside any explicit transaction (reads).
    func read<Result: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result

    /// Runs `body` in one transaction on one connection.
    func write<Result: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result

    /// Closes every connection. The database may not be used afterwards.
    func shutdown() async

    /// Why writes fail for want of storage (the disk is full, the database is read-only…), or nil: set
    /// by a failed write, cleared by the next one that commits (see `StorageUnavailable`).
    var writeProblem: String? { get }

    /// While a write problem is recorded, tries a write that really writes (one row of
    /// `schema_migrations` rewritten as it is): the problem it still finds, or nil once writes work again.
    func probeWrites() async -> String?
}

extension Database {
    public var writeProblem: String? { nil }
    public func probeWrites() async -> String? { nil }
}
