extension Migration {
    /// One counter of changes to reference data and identities, raised by every such change on
    /// PostgreSQL (`Store.writeReference`): every instance compares it with the last it saw, at most
    /// every quarter of a second, and drops its caches when it moved (`ReferenceCache`), so that a
    /// revoked token or a changed role stops working everywhere within a second.
    static let referenceChanges = Migration(9, "reference changes counter") { db, _ in
        try await db.execute(statements: [
            "CREATE TABLE reference_changes (id INTEGER PRIMARY KEY, generation BIGINT NOT NULL)",
            "INSERT INTO reference_changes (id, generation) VALUES (1, 0)",
        ])
    }
}
