extension Migration {
    /// Engagements: owned, dated promises that are not signalements (see `Engagement`), their other
    /// partners, linked signalements, dated updates and escalations.
    static let engagements = Migration(12, "engagements") { db, _ in
        try await db.execute(statements: [
            """
            CREATE TABLE engagements (
              id TEXT PRIMARY KEY,
              source TEXT NOT NULL,
              source_id TEXT,
              title TEXT NOT NULL,
              description TEXT,
              territory_id TEXT NOT NULL REFERENCES territories(id),
              lead_partner_id TEXT NOT NULL REFERENCES partners(id),
              due_date TEXT NOT NULL,
              due_at BIGINT NOT NULL,
              status TEXT NOT NULL,
              status_note TEXT,
              action_sheet_id TEXT REFERENCES action_sheets(id),
              public BIGINT NOT NULL,
              escalation_level BIGINT NOT NULL,
              escalation_cycle BIGINT NOT NULL,
              next_escalation_at BIGINT,
              done_at BIGINT,
              version BIGINT NOT NULL,
              created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX engagements_order ON engagements (created_at, id)",
            "CREATE INDEX engagements_territory ON engagements (territory_id, created_at)",
            "CREATE INDEX engagements_lead ON engagements (lead_partner_id, created_at)",
            "CREATE INDEX engagements_source ON engagements (source_id)",
            "CREATE INDEX engagements_next_escalation ON engagements (next_escalation_at) WHERE next_escalation_at IS NOT NULL",
            """
            CREATE TABLE engagement_partners (
              engagement_id TEXT NOT NULL REFERENCES engagements(id) ON DELETE CASCADE,
              partner_id TEXT NOT NULL REFERENCES partners(id),
              PRIMARY KEY (engagement_id, partner_id))
            """,
            "CREATE INDEX engagement_partners_partner ON engagement_partners (partner_id)",
            """
            CREATE TABLE engagement_signalements (
              engagement_id TEXT NOT NULL REFERENCES engagements(id) ON DELETE CASCADE,
              signalement_id TEXT NOT NULL REFERENCES signalements(id),
              PRIMARY KEY (engagement_id, signalement_id))
            """,
            """
            CREATE TABLE engagement_updates (
              id TEXT PRIMARY KEY,
              engagement_id TEXT NOT NULL REFERENCES engagements(id) ON DELETE CASCADE,
              day TEXT NOT NULL,
              note TEXT NOT NULL,
              author_id TEXT,
              created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX engagement_updates_engagement ON engagement_updates (engagement_id, day)",
            """
            CREATE TABLE engagement_escalations (
              id TEXT PRIMARY KEY,
              engagement_id TEXT NOT NULL REFERENCES engagements(id) ON DELETE CASCADE,
              cycle BIGINT NOT NULL,
              level BIGINT NOT NULL,
              audience TEXT NOT NULL,
              partner_id TEXT,
              territory_id TEXT,
              due_at BIGINT NOT NULL,
              created_at BIGINT NOT NULL,
              UNIQUE (engagement_id, cycle, level))
            """,
        ])
    }
}
