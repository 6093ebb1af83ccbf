import Foundation
import SQLKit

extension Migration {
    /// What residents see of their reports: the public reference of every signalement (numbered per
    /// year), the reporter's consent to be notified, the mail outbox with its suppressions and
    /// preferences, "est-ce réglé ?" requests, area alerts, and the log of staff reads of contact data.
    static let residents = Migration(16, "public references, notifications, feedback, alerts, access log") { db, _ in
        try await db.execute(statements: [
            "ALTER TABLE signalements ADD COLUMN reference TEXT",
            "ALTER TABLE signalement_contacts ADD COLUMN notify BIGINT NOT NULL DEFAULT 0",
            "CREATE TABLE reference_counters (year BIGINT PRIMARY KEY, last BIGINT NOT NULL)",
            """
            CREATE TABLE notifications (
              id TEXT PRIMARY KEY,
              kind TEXT NOT NULL,
              signalement_id TEXT REFERENCES signalements(id) ON DELETE SET NULL,
              user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
              recipient TEXT,
              recipient_hash TEXT NOT NULL,
              subject TEXT,
              text_body TEXT,
              html_body TEXT,
              unsubscribe_url TEXT,
              unsubscribe_token_hash TEXT NOT NULL UNIQUE,
              status TEXT NOT NULL,
              attempts BIGINT NOT NULL,
              next_attempt_at BIGINT,
              lease_owner TEXT,
              lease_expires_at BIGINT,
              last_error TEXT,
              created_at BIGINT NOT NULL,
              sent_at BIGINT)
            """,
            "CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'pending'",
            "CREATE INDEX notifications_order ON notifications (created_at, id)",
            "CREATE INDEX notifications_user ON notifications (user_id)",
            "CREATE INDEX notifications_signalement ON notifications (signalement_id)",
            """
            CREATE TABLE mail_suppressions (
              recipient_hash TEXT PRIMARY KEY,
              reason TEXT NOT NULL,
              created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE notification_preferences (
              user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
              own_reports BIGINT NOT NULL,
              followed_reports BIGINT NOT NULL,
              feedback_requests BIGINT NOT NULL,
              updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE feedback_requests (
              id TEXT PRIMARY KEY,
              signalement_id TEXT NOT NULL REFERENCES signalements(id) ON DELETE CASCADE,
              resolved_at BIGINT NOT NULL,
              user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
              recipient_hash TEXT NOT NULL,
              territory_id TEXT,
              partner_id TEXT,
              category_id TEXT NOT NULL,
              token_hash TEXT NOT NULL UNIQUE,
              status TEXT NOT NULL,
              answer TEXT,
              answers_opened TEXT NOT NULL DEFAULT '',
              comment TEXT,
              answered_at BIGINT,
              settled_at BIGINT,
              outcome TEXT,
              created_at BIGINT NOT NULL,
              expires_at BIGINT NOT NULL)
            """,
            "CREATE UNIQUE INDEX feedback_requests_once ON feedback_requests (signalement_id, resolved_at, recipient_hash)",
            "CREATE INDEX feedback_requests_provisional ON feedback_requests (answered_at) WHERE status = 'provisional'",
            "CREATE INDEX feedback_requests_order ON feedback_requests (created_at, id)",
            """
            CREATE TABLE signalement_asked (
              signalement_id TEXT NOT NULL REFERENCES signalements(id) ON DELETE CASCADE,
              resolved_at BIGINT NOT NULL,
              asked_at BIGINT NOT NULL,
              PRIMARY KEY (signalement_id, resolved_at))
            """,
            "CREATE INDEX signalements_resolved ON signalements (resolved_at) WHERE resolved_at IS NOT NULL",
            """
            CREATE TABLE area_alerts (
              id TEXT PRIMARY KEY,
              user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              territory_id TEXT REFERENCES territories(id) ON DELETE CASCADE,
              min_long DOUBLE PRECISION, min_lat DOUBLE PRECISION, max_long DOUBLE PRECISION, max_lat DOUBLE PRECISION,
              category_ids TEXT NOT NULL,
              label TEXT,
              last_digest_at BIGINT NOT NULL,
              version BIGINT NOT NULL,
              created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX area_alerts_user ON area_alerts (user_id, created_at, id)",
            "CREATE INDEX area_alerts_digest ON area_alerts (last_digest_at)",
            """
            CREATE TABLE contact_reads (
              id TEXT PRIMARY KEY,
              signalement_id TEXT NOT NULL,
              actor_id TEXT NOT NULL,
              actor_role TEXT NOT NULL,
              actor_partner_id TEXT,
              purpose TEXT NOT NULL,
              created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX contact_reads_order ON contact_reads (created_at, id)",
            "CREATE INDEX contact_reads_signalement ON contact_reads (signalement_id, created_at)",
        ])
        try await numberExistingSignalements(db)
        try await db.execute(statements: ["CREATE UNIQUE INDEX signalements_reference ON signalements (reference)"])
    }

    /// Gives every signalement filed before references existed one, `GUSP-YY-NNNNN`, numbered per year of
    /// filing (Paris time) in filing order, and sets each year's counter past them.
    private static func numberExistingSignalements(_ db: any SQLDatabase) async throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        var last: [Int: Int] = [:]
        var after: (Int64, String)? = nil
        while true {
            let query = db.select().columns("id", "created_at").from("signalements").orderBy("created_at").orderBy("id").limit(5_000)
            if let (time, id) = after {
                query.where {
                    $0.where("created_at", .greaterThan, time).orWhere { $0.where("created_at", .equal, time).where("id", .greaterThan, id) }
                }
            }
            let rows = try await query.all()
            guard !rows.isEmpty else { break }
            for row in rows {
                let id = try row.decode(column: "id", as: String.self)
                let time = try row.decode(column: "created_at", as: Int64.self)
                let year = calendar.component(.year, from: Date(timeIntervalSince1970: Double(time) / 1_000))
                let number = (last[year] ?? 0) + 1
                last[year] = number
                let reference = "GUSP-" + padded(year % 100, 2) + "-" + padded(number, 5)
                try await db.update("signalements").set("reference", to: reference).where("id", .equal, id).run()
                after = (time, id)
            }
        }
        for (year, number) in last {
            try await db.insert(into: "reference_counters").columns("year", "last").values(SQLBind(year), SQLBind(number)).run()
        }
    }

    private static func padded(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
