import SQLKit

extension Migration {
    /// Cellules de veille, comités techniques, COPIL: meetings, their territories and partners, agenda
    /// items, and decisions.
    static let meetings = Migration(15, "meetings, agenda items and decisions") { db, _ in
        try await db.execute(statements: [
            """
            CREATE TABLE meetings (
              id TEXT PRIMARY KEY,
              kind TEXT NOT NULL,
              title TEXT NOT NULL,
              convention_id TEXT REFERENCES conventions(id),
              starts_at BIGINT NOT NULL,
              chair_partner_id TEXT NOT NULL REFERENCES partners(id),
              previous_meeting_id TEXT REFERENCES meetings(id),
              status TEXT NOT NULL,
              status_note TEXT,
              minutes TEXT,
              minutes_visibility TEXT NOT NULL,
              minutes_approved_at BIGINT,
              version BIGINT NOT NULL,
              created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX meetings_order ON meetings (created_at, id)",
            "CREATE INDEX meetings_starts ON meetings (starts_at)",
            """
            CREATE TABLE meeting_territories (
              meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
              territory_id TEXT NOT NULL REFERENCES territories(id),
              PRIMARY KEY (meeting_id, territory_id))
            """,
            "CREATE INDEX meeting_territories_territory ON meeting_territories (territory_id)",
            """
            CREATE TABLE meeting_partners (
              meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
              partner_id TEXT NOT NULL REFERENCES partners(id),
              invited BIGINT NOT NULL,
              present BIGINT NOT NULL,
              PRIMARY KEY (meeting_id, partner_id))
            """,
            "CREATE INDEX meeting_partners_partner ON meeting_partners (partner_id)",
            """
            CREATE TABLE meeting_items (
              id TEXT PRIMARY KEY,
              meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
              position BIGINT NOT NULL,
              kind TEXT NOT NULL,
              target_type TEXT,
              target_id TEXT,
              signalement_id TEXT,
              title TEXT NOT NULL,
              detail TEXT,
              confidential BIGINT NOT NULL,
              carried_from TEXT,
              created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX meeting_items_meeting ON meeting_items (meeting_id, position)",
            "CREATE UNIQUE INDEX meeting_items_target ON meeting_items (meeting_id, target_type, target_id)",
            "CREATE INDEX meeting_items_signalement ON meeting_items (signalement_id)",
            """
            CREATE TABLE meeting_decisions (
              id TEXT PRIMARY KEY,
              meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
              item_id TEXT NOT NULL REFERENCES meeting_items(id) ON DELETE CASCADE,
              kind TEXT NOT NULL,
              note TEXT,
              partner_id TEXT REFERENCES partners(id),
              engagement_id TEXT,
              decided_by TEXT,
              created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX meeting_decisions_meeting ON meeting_decisions (meeting_id, created_at, id)",
            "CREATE INDEX meeting_decisions_item ON meeting_decisions (item_id)",
        ])
    }
}
