import SQLKit

extension Migration {
    /// Photos of walk observations (hidden from residents until a coordinator publishes them) and the
    /// published versions of a walk's compte-rendu (the text part frozen, statuses read live); walks by
    /// their start, for the indicators.
    static let walkPhotosAndReports = Migration(14, "walk photos and report versions") { db, _ in
        try await db.execute(statements: [
            """
            CREATE TABLE walk_photos (
              id TEXT PRIMARY KEY,
              walk_id TEXT NOT NULL REFERENCES walks(id) ON DELETE CASCADE,
              observation_id TEXT NOT NULL REFERENCES walk_observations(id) ON DELETE CASCADE,
              content_hash TEXT NOT NULL,
              media_type TEXT NOT NULL,
              width BIGINT NOT NULL,
              height BIGINT NOT NULL,
              byte_size BIGINT NOT NULL,
              uploaded_by TEXT,
              published_at BIGINT,
              created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX walk_photos_observation ON walk_photos (observation_id, created_at, id)",
            "CREATE INDEX walk_photos_walk ON walk_photos (walk_id)",
            """
            CREATE TABLE walk_report_versions (
              walk_id TEXT NOT NULL REFERENCES walks(id) ON DELETE CASCADE,
              version BIGINT NOT NULL,
              summary TEXT,
              content TEXT NOT NULL,
              published_by TEXT,
              published_at BIGINT NOT NULL,
              PRIMARY KEY (walk_id, version))
            """,
            // The walk indicators read the walks of a period by their start.
            "CREATE INDEX walks_starts ON walks (starts_at)",
        ])
    }
}
