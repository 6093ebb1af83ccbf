import SQLKit

extension Migration {
    /// Identity, partners, territories, categories, tokens, events and idempotency records.
    /// Times are BIGINT milliseconds since 1970 (UTC); booleans are BIGINT 0/1 on both engines.
    static let coreSchema = Migration(1, "core schema") { db, _ in
        try await db.execute(statements: [
            """
            CREATE TABLE territories (
              id TEXT PRIMARY KEY,
              kind TEXT NOT NULL,
              code TEXT NOT NULL,
              label TEXT NOT NULL,
              parent_id TEXT REFERENCES territories(id),
              geometry TEXT,
              bbox_min_long DOUBLE PRECISION, bbox_min_lat DOUBLE PRECISION,
              bbox_max_long DOUBLE PRECISION, bbox_max_lat DOUBLE PRECISION,
              version BIGINT NOT NULL,
              created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL,
              UNIQUE (kind, code))
            """,
            "CREATE INDEX territories_parent ON territories (parent_id)",
            "CREATE INDEX territories_order ON territories (created_at, id)",
            """
            CREATE TABLE partners (
              id TEXT PRIMARY KEY,
              kind TEXT NOT NULL,
              name TEXT NOT NULL,
              siren TEXT,
              referent_user_id TEXT,
              contact_email TEXT,
              contact_phone TEXT,
              version BIGINT NOT NULL,
              created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX partners_order ON partners (created_at, id)",
            """
            CREATE TABLE partner_territories (
              partner_id TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
              territory_id TEXT NOT NULL REFERENCES territories(id),
              PRIMARY KEY (partner_id, territory_id))
            """,
            "CREATE INDEX partner_territories_territory ON partner_territories (territory_id)",
            """
            CREATE TABLE categories (
              id TEXT PRIMARY KEY,
              code TEXT NOT NULL UNIQUE,
              label TEXT NOT NULL,
              parent_id TEXT REFERENCES categories(id),
              commitment_amount BIGINT,
              commitment_unit TEXT,
              resident_fileable BIGINT NOT NULL,
              version BIGINT NOT NULL,
              created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX categories_order ON categories (created_at, id)",
            """
            CREATE TABLE users (
              id TEXT PRIMARY KEY,
              email TEXT NOT NULL,
              email_normalized TEXT NOT NULL UNIQUE,
              display_name TEXT,
              password_hash TEXT,
              role TEXT NOT NULL,
              partner_id TEXT REFERENCES partners(id),
              version BIGINT NOT NULL,
              created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX users_partner ON users (partner_id)",
            "CREATE INDEX users_order ON users (created_at, id)",
            """
            CREATE TABLE user_territories (
              user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              territory_id TEXT NOT NULL REFERENCES territories(id),
              PRIMARY KEY (user_id, territory_id))
            """,
            "CREATE INDEX user_territories_territory ON user_territories (territory_id)",
            """
            CREATE TABLE access_tokens (
              id TEXT PRIMARY KEY,
              kind TEXT NOT NULL,
              token_hash TEXT NOT NULL UNIQUE,
              prefix TEXT NOT NULL,
              name TEXT NOT NULL,
              user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
              partner_id TEXT REFERENCES partners(id) ON DELETE CASCADE,
              created_by TEXT,
              created_at BIGINT NOT NULL,
              expires_at BIGINT NOT NULL,
              revoked_at BIGINT,
              last_used_at BIGINT)
            """,
            "CREATE INDEX access_tokens_user ON access_tokens (user_id)",
            "CREATE INDEX access_tokens_partner ON access_tokens (partner_id, created_at, id)",
            "CREATE INDEX access_tokens_expiry ON access_tokens (expires_at)",
            """
            CREATE TABLE events (
              id TEXT PRIMARY KEY,
              resource_type TEXT NOT NULL,
              resource_id TEXT NOT NULL,
              action TEXT NOT NULL,
              actor_id TEXT,
              actor_role TEXT,
              changes TEXT NOT NULL,
              occurred_at BIGINT NOT NULL)
            """,
            "CREATE INDEX events_resource ON events (resource_type, resource_id, occurred_at, id)",
            "CREATE INDEX events_order ON events (occurred_at, id)",
            """
            CREATE TABLE idempotency_records (
              key_hash TEXT PRIMARY KEY,
              request_hash TEXT NOT NULL,
              status BIGINT,
              content_type TEXT,
              location TEXT,
              etag TEXT,
              body TEXT,
              created_at BIGINT NOT NULL,
              expires_at BIGINT NOT NULL)
            """,
            "CREATE INDEX idempotency_records_expiry ON idempotency_records (expires_at)",
        ])
    }
}
