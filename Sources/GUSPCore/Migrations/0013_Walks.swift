import Foundation
import SQLKit

extension Migration {
    /// Diagnostics en marchant and marches exploratoires: observation grids (two seeded), walks, their
    /// stops, partners, attendance counts and observations.
    static let walks = Migration(13, "walks and observation grids") { db, _ in
        let now = Date().storedMilliseconds
        try await db.execute(statements: [
            """
            CREATE TABLE observation_grids (
              id TEXT PRIMARY KEY,
              code TEXT NOT NULL UNIQUE,
              label TEXT NOT NULL,
              created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE observation_grid_items (
              grid_id TEXT NOT NULL REFERENCES observation_grids(id) ON DELETE CASCADE,
              position BIGINT NOT NULL,
              code TEXT NOT NULL,
              label TEXT NOT NULL,
              theme TEXT NOT NULL,
              answer_type TEXT NOT NULL,
              PRIMARY KEY (grid_id, code))
            """,
            """
            CREATE TABLE walks (
              id TEXT PRIMARY KEY,
              kind TEXT NOT NULL,
              title TEXT NOT NULL,
              territory_id TEXT NOT NULL REFERENCES territories(id),
              starts_at BIGINT NOT NULL,
              ends_at BIGINT NOT NULL,
              time_of_day TEXT NOT NULL,
              meeting_point TEXT,
              route TEXT,
              grid_id TEXT NOT NULL REFERENCES observation_grids(id),
              organiser_partner_id TEXT NOT NULL REFERENCES partners(id),
              referent_user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
              convention_id TEXT REFERENCES conventions(id),
              series_id TEXT,
              status TEXT NOT NULL,
              status_note TEXT,
              version BIGINT NOT NULL,
              created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX walks_order ON walks (created_at, id)",
            "CREATE INDEX walks_territory ON walks (territory_id, created_at)",
            "CREATE INDEX walks_series ON walks (series_id)",
            """
            CREATE TABLE walk_stops (
              walk_id TEXT NOT NULL REFERENCES walks(id) ON DELETE CASCADE,
              position BIGINT NOT NULL,
              label TEXT NOT NULL,
              lat DOUBLE PRECISION NOT NULL,
              long DOUBLE PRECISION NOT NULL,
              PRIMARY KEY (walk_id, position))
            """,
            """
            CREATE TABLE walk_partners (
              walk_id TEXT NOT NULL REFERENCES walks(id) ON DELETE CASCADE,
              partner_id TEXT NOT NULL REFERENCES partners(id),
              invited BIGINT NOT NULL,
              present BIGINT NOT NULL,
              PRIMARY KEY (walk_id, partner_id))
            """,
            "CREATE INDEX walk_partners_partner ON walk_partners (partner_id)",
            """
            CREATE TABLE walk_attendance (
              walk_id TEXT NOT NULL REFERENCES walks(id) ON DELETE CASCADE,
              role TEXT NOT NULL,
              age_band TEXT NOT NULL,
              count BIGINT NOT NULL,
              PRIMARY KEY (walk_id, role, age_band))
            """,
            """
            CREATE TABLE walk_observations (
              id TEXT PRIMARY KEY,
              walk_id TEXT NOT NULL REFERENCES walks(id) ON DELETE CASCADE,
              client_id TEXT NOT NULL,
              stop_position BIGINT,
              lat DOUBLE PRECISION,
              long DOUBLE PRECISION,
              polarity TEXT NOT NULL,
              theme TEXT NOT NULL,
              category_id TEXT REFERENCES categories(id),
              text TEXT NOT NULL,
              proposal TEXT,
              answers TEXT NOT NULL,
              author_id TEXT,
              converted_kind TEXT,
              converted_id TEXT,
              body_hash TEXT NOT NULL,
              created_at BIGINT NOT NULL,
              UNIQUE (walk_id, client_id))
            """,
            "CREATE INDEX walk_observations_walk ON walk_observations (walk_id, created_at, id)",
        ])
        try await seedGrid(
            db, code: "diagnostic", label: "Diagnostic en marchant", now: now,
            items: [
                ("proprete", "Propreté des espaces", "cleanliness"), ("eclairage", "Éclairage", "lighting"),
                ("signaletique", "Signalétique", "signage"), ("visibilite", "Visibilité, champ de vision", "visibility"),
                ("entretien", "Entretien des espaces et des équipements", "upkeep"), ("jeux", "Aires de jeux", "play_areas"),
                ("stationnement", "Stationnement", "parking"), ("accessibilite", "Accessibilité", "accessibility"),
                ("securite", "Sentiment de sécurité", "feeling_of_safety"), ("convivialite", "Convivialité des lieux", "conviviality"),
            ])
        try await seedGrid(
            db, code: "marche_exploratoire", label: "Marche exploratoire", now: now,
            items: [
                ("eclairage", "L'éclairage permet-il de voir et d'être vue ?", "lighting"),
                ("visibilite", "Voit-on loin devant soi ?", "visibility"),
                ("isolement", "Y a-t-il du monde, des commerces ouverts ?", "feeling_of_safety"),
                ("signaletique", "Sait-on où l'on est et où aller ?", "signage"),
                ("issues", "Peut-on s'échapper, trouver de l'aide ?", "feeling_of_safety"),
                ("entretien", "Les lieux sont-ils entretenus ?", "upkeep"),
                ("proprete", "Les lieux sont-ils propres ?", "cleanliness"),
                ("usages", "Les femmes sont-elles présentes dans ces lieux ?", "conviviality"),
            ])
    }

    /// A grid whose items are answered on a scale of 4 (1 bad … 4 good).
    private static func seedGrid(
        _ db: any SQLDatabase, code: String, label: String, now: Int64, items: [(String, String, String)]
    ) async throws {
        let id = "grd_" + code
        try await db.insert(into: "observation_grids").columns("id", "code", "label", "created_at")
            .values(SQLBind(id), SQLBind(code), SQLBind(label), SQLBind(now)).run()
        let insert = db.insert(into: "observation_grid_items").columns("grid_id", "position", "code", "label", "theme", "answer_type")
        for (position, item) in items.enumerated() {
            insert.values(SQLBind(id), SQLBind(position), SQLBind(item.0), SQLBind(item.1), SQLBind(item.2), SQLBind("scale_4"))
        }
        try await insert.run()
    }
}
