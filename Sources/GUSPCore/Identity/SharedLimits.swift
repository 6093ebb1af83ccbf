import Foundation
import SQLKit

extension Store {
    /// Whether the limits on guessing (logins, registrations, current-password checks) are counted in
    /// the database, shared by every instance: on PostgreSQL. On SQLite there is one process, which
    /// counts in memory.
    public var countsLimitsInDatabase: Bool { database.engine == .postgres }

    /// Counts one attempt under `key` in the current window of `window` seconds (windows start at
    /// multiples of their length, the same on every instance): nil when allowed, else the seconds until
    /// the next window. One upsert, in its own transaction: the attempt counts even if what follows fails.
    public func admitShared(_ key: String, limit: Int, window: TimeInterval) async throws -> Int? {
        let now = nowMilliseconds
        let length = Int64(window * 1_000)
        let start = now - now % length
        let keyHash = TokenSecret.hash(key)
        let count = try await database.write { db in
            try await db.raw(
                """
                INSERT INTO limit_counts (key_hash, window_start, count) VALUES (\(bind: keyHash), \(bind: start), 1)
                ON CONFLICT (key_hash, window_start) DO UPDATE SET count = limit_counts.count + 1
                RETURNING count
                """
            ).first()?.decode(column: "count", as: Int.self) ?? 1
        }
        guard count > limit else { return nil }
        return max(1, Int(((start + length - now) + 999) / 1_000))
    }
}
