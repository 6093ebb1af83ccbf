extension Migration {
    /// Attempts counted per key and fixed window, shared by every instance on PostgreSQL (logins,
    /// registrations, current-password checks): N instances allow what one does. Keys are SHA-256
    /// hashes (they hold emails and addresses); the retention worker deletes windows a day old. And
    /// the table `/ready`'s write probe uses.
    static let sharedLimits = Migration(10, "shared limit counts and storage probe") { db, _ in
        try await db.execute(statements: [
            """
            CREATE TABLE limit_counts (
              key_hash TEXT NOT NULL,
              window_start BIGINT NOT NULL,
              count BIGINT NOT NULL,
              PRIMARY KEY (key_hash, window_start))
            """,
            "CREATE INDEX limit_counts_age ON limit_counts (window_start)",
            // What `/ready` writes, and deletes, to tell whether the database can write again after a
            // write failed for want of storage (see `WriteHealth`).
            "CREATE TABLE storage_probe (data TEXT NOT NULL)",
        ])
    }
}
