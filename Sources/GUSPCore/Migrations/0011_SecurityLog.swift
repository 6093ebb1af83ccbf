extension Migration {
    /// The security log: logins, password changes, access changes, keys (see `SecurityLog`).
    static let securityLog = Migration(11, "security log") { db, _ in
        try await db.execute(statements: [
            """
            CREATE TABLE security_events (
              id TEXT PRIMARY KEY,
              kind TEXT NOT NULL,
              actor_id TEXT,
              user_id TEXT,
              api_key_id TEXT,
              address TEXT,
              detail TEXT,
              occurred_at BIGINT NOT NULL)
            """,
            "CREATE INDEX security_events_order ON security_events (occurred_at, id)",
            "CREATE INDEX security_events_user ON security_events (user_id, occurred_at)",
        ])
    }
}
