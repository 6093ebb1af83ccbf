import SQLKit

extension Migration {
    /// Conventions (their content per version, signatories, signatures, action sheets' progress, ATFPB
    /// programme lines) and interventions pushed by partner systems, with the signalements they link.
    static let conventions = Migration(5, "conventions and interventions") { db, _ in
        try await db.execute(statements: [
            """
            CREATE TABLE conventions (
              id TEXT PRIMARY KEY,
              kind TEXT NOT NULL,
              state TEXT NOT NULL,
              start_date TEXT NOT NULL,
              end_date TEXT NOT NULL,
              content TEXT NOT NULL,
              bailleur_id TEXT REFERENCES partners(id),
              budgets_public BIGINT NOT NULL,
              version BIGINT NOT NULL,
              revision BIGINT NOT NULL,
              signed_at BIGINT,
              terminated_at BIGINT,
              created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX conventions_order ON conventions (created_at, id)",
            """
            CREATE TABLE convention_territories (
              convention_id TEXT NOT NULL REFERENCES conventions(id) ON DELETE CASCADE,
              territory_id TEXT NOT NULL REFERENCES territories(id),
              PRIMARY KEY (convention_id, territory_id))
            """,
            "CREATE INDEX convention_territories_territory ON convention_territories (territory_id)",
            """
            CREATE TABLE convention_signatories (
              convention_id TEXT NOT NULL REFERENCES conventions(id) ON DELETE CASCADE,
              partner_id TEXT NOT NULL REFERENCES partners(id),
              PRIMARY KEY (convention_id, partner_id))
            """,
            "CREATE INDEX convention_signatories_partner ON convention_signatories (partner_id)",
            """
            CREATE TABLE convention_versions (
              convention_id TEXT NOT NULL REFERENCES conventions(id) ON DELETE CASCADE,
              number BIGINT NOT NULL,
              summary TEXT,
              changes TEXT NOT NULL,
              content TEXT NOT NULL,
              proposed_by TEXT,
              proposed_at BIGINT NOT NULL,
              in_force_at BIGINT,
              withdrawn_at BIGINT,
              withdrawn_by TEXT,
              PRIMARY KEY (convention_id, number))
            """,
            """
            CREATE TABLE convention_signatures (
              convention_id TEXT NOT NULL REFERENCES conventions(id) ON DELETE CASCADE,
              number BIGINT NOT NULL,
              partner_id TEXT NOT NULL REFERENCES partners(id),
              signed_by TEXT NOT NULL,
              signer_role TEXT NOT NULL,
              signed_at BIGINT NOT NULL,
              PRIMARY KEY (convention_id, number, partner_id))
            """,
            """
            CREATE TABLE action_sheets (
              id TEXT PRIMARY KEY,
              convention_id TEXT NOT NULL REFERENCES conventions(id) ON DELETE CASCADE,
              status TEXT NOT NULL,
              progress BIGINT NOT NULL,
              version BIGINT NOT NULL,
              created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX action_sheets_convention ON action_sheets (convention_id)",
            """
            CREATE TABLE action_sheet_updates (
              id TEXT PRIMARY KEY,
              action_sheet_id TEXT NOT NULL REFERENCES action_sheets(id) ON DELETE CASCADE,
              day TEXT NOT NULL,
              note TEXT NOT NULL,
              progress BIGINT,
              author_id TEXT,
              created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX action_sheet_updates_sheet ON action_sheet_updates (action_sheet_id, day)",
            """
            CREATE TABLE atfpb_programme_lines (
              convention_id TEXT NOT NULL REFERENCES conventions(id) ON DELETE CASCADE,
              year BIGINT NOT NULL,
              axis BIGINT NOT NULL,
              territory_id TEXT NOT NULL REFERENCES territories(id),
              planned_cents BIGINT NOT NULL,
              actions TEXT NOT NULL,
              PRIMARY KEY (convention_id, year, axis, territory_id))
            """,
            """
            CREATE TABLE interventions (
              id TEXT PRIMARY KEY,
              partner_id TEXT NOT NULL REFERENCES partners(id),
              external_id TEXT NOT NULL,
              kind TEXT NOT NULL,
              status TEXT NOT NULL,
              scheduled_at BIGINT,
              done_at BIGINT,
              territory_id TEXT REFERENCES territories(id),
              lat DOUBLE PRECISION,
              long DOUBLE PRECISION,
              description TEXT,
              atfpb_axis BIGINT,
              planned_cents BIGINT,
              realised_cents BIGINT,
              atfpb_share_cents BIGINT,
              other_funding_cents BIGINT,
              reference_day TEXT NOT NULL,
              body_hash TEXT NOT NULL,
              version BIGINT NOT NULL,
              created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL,
              UNIQUE (partner_id, external_id))
            """,
            "CREATE INDEX interventions_order ON interventions (created_at, id)",
            "CREATE INDEX interventions_partner_day ON interventions (partner_id, reference_day)",
            """
            CREATE TABLE intervention_signalements (
              intervention_id TEXT NOT NULL REFERENCES interventions(id) ON DELETE CASCADE,
              signalement_id TEXT NOT NULL REFERENCES signalements(id),
              PRIMARY KEY (intervention_id, signalement_id))
            """,
            "CREATE INDEX intervention_signalements_signalement ON intervention_signalements (signalement_id)",
        ])
    }
}
