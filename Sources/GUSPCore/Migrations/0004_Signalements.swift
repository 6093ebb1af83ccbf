import SQLKit

extension Migration {
    /// Signalements and what hangs off them (contacts kept apart, comments, confirmations, followers,
    /// photos), land parcels (domanialité) for routing, the default partner kind of each category,
    /// and the state change and note that signalement events carry.
    static let signalements = Migration(4, "signalements and land parcels") { db, _ in
        try await db.execute(statements: [
            "ALTER TABLE categories ADD COLUMN default_partner_kind TEXT",
            "ALTER TABLE events ADD COLUMN from_status TEXT",
            "ALTER TABLE events ADD COLUMN to_status TEXT",
            "ALTER TABLE events ADD COLUMN note TEXT",
            """
            CREATE TABLE land_parcels (
              id TEXT PRIMARY KEY,
              label TEXT NOT NULL,
              partner_id TEXT NOT NULL REFERENCES partners(id),
              all_categories BIGINT NOT NULL,
              geometry TEXT NOT NULL,
              bbox_min_long DOUBLE PRECISION NOT NULL, bbox_min_lat DOUBLE PRECISION NOT NULL,
              bbox_max_long DOUBLE PRECISION NOT NULL, bbox_max_lat DOUBLE PRECISION NOT NULL,
              valid_from TEXT,
              valid_to TEXT,
              version BIGINT NOT NULL,
              created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX land_parcels_bbox ON land_parcels (bbox_min_long, bbox_max_long, bbox_min_lat, bbox_max_lat)",
            "CREATE INDEX land_parcels_partner ON land_parcels (partner_id)",
            "CREATE INDEX land_parcels_order ON land_parcels (created_at, id)",
            """
            CREATE TABLE land_parcel_categories (
              land_parcel_id TEXT NOT NULL REFERENCES land_parcels(id) ON DELETE CASCADE,
              category_id TEXT NOT NULL REFERENCES categories(id),
              PRIMARY KEY (land_parcel_id, category_id))
            """,
            "CREATE INDEX land_parcel_categories_category ON land_parcel_categories (category_id)",
            """
            CREATE TABLE signalements (
              id TEXT PRIMARY KEY,
              category_id TEXT NOT NULL REFERENCES categories(id),
              status TEXT NOT NULL,
              priority TEXT NOT NULL,
              channel TEXT NOT NULL,
              description TEXT NOT NULL,
              lat DOUBLE PRECISION,
              long DOUBLE PRECISION,
              cell BIGINT,
              address TEXT,
              territory_id TEXT REFERENCES territories(id),
              partner_id TEXT REFERENCES partners(id),
              reporter_id TEXT REFERENCES users(id) ON DELETE SET NULL,
              filed_by TEXT,
              due_at BIGINT,
              duplicate_of TEXT REFERENCES signalements(id),
              confirmations_count BIGINT NOT NULL,
              resolved_at BIGINT,
              closed_at BIGINT,
              version BIGINT NOT NULL,
              created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX signalements_order ON signalements (created_at, id)",
            "CREATE INDEX signalements_status ON signalements (status, created_at, id)",
            "CREATE INDEX signalements_partner ON signalements (partner_id, created_at, id)",
            "CREATE INDEX signalements_territory ON signalements (territory_id, created_at, id)",
            "CREATE INDEX signalements_reporter ON signalements (reporter_id, created_at, id)",
            "CREATE INDEX signalements_nearby ON signalements (category_id, cell, created_at, lat, long, status, id)",
            "CREATE INDEX signalements_position ON signalements (lat, long)",
            "CREATE INDEX signalements_due ON signalements (due_at)",
            "CREATE INDEX signalements_updated ON signalements (updated_at)",
            """
            CREATE TABLE signalement_contacts (
              signalement_id TEXT PRIMARY KEY REFERENCES signalements(id) ON DELETE CASCADE,
              name TEXT,
              email TEXT,
              phone TEXT,
              created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE signalement_comments (
              id TEXT PRIMARY KEY,
              signalement_id TEXT NOT NULL REFERENCES signalements(id) ON DELETE CASCADE,
              visibility TEXT NOT NULL,
              body TEXT NOT NULL,
              author_id TEXT,
              author_role TEXT NOT NULL,
              author_partner_id TEXT,
              created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX signalement_comments_order ON signalement_comments (signalement_id, created_at, id)",
            """
            CREATE TABLE signalement_confirmations (
              signalement_id TEXT NOT NULL REFERENCES signalements(id) ON DELETE CASCADE,
              user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              created_at BIGINT NOT NULL,
              PRIMARY KEY (signalement_id, user_id))
            """,
            "CREATE INDEX signalement_confirmations_user ON signalement_confirmations (user_id)",
            """
            CREATE TABLE signalement_followers (
              signalement_id TEXT NOT NULL REFERENCES signalements(id) ON DELETE CASCADE,
              user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              created_at BIGINT NOT NULL,
              PRIMARY KEY (signalement_id, user_id))
            """,
            "CREATE INDEX signalement_followers_user ON signalement_followers (user_id)",
            """
            CREATE TABLE signalement_photos (
              id TEXT PRIMARY KEY,
              signalement_id TEXT NOT NULL REFERENCES signalements(id) ON DELETE CASCADE,
              content_hash TEXT NOT NULL,
              media_type TEXT NOT NULL,
              width BIGINT NOT NULL,
              height BIGINT NOT NULL,
              byte_size BIGINT NOT NULL,
              uploaded_by TEXT,
              created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX signalement_photos_order ON signalement_photos (signalement_id, created_at, id)",
        ])
        // Who handles a category when no land parcel says otherwise (the field's defaults, docs/architecture.md).
        for (code, kind) in [
            ("proprete", "ville"), ("encombrants", "ville"), ("tags", "ville"), ("tags_injurieux", "ville"),
            ("eclairage", "ville"), ("voirie", "ville"), ("espaces_verts", "ville"), ("epaves", "ville"),
            ("parties_communes", "bailleur"), ("nuisibles", "bailleur"),
        ] {
            try await db.update("categories").set("default_partner_kind", to: kind).where("code", .equal, code).run()
        }
    }
}
