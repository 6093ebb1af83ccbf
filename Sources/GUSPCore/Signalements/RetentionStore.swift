import Foundation
import SQLKit

/// What one retention run removed (counts only: never the data).
public struct RetentionRun: Sendable, Equatable {
    public init(contactsPurged: Int, tokensDeleted: Int, idempotencyRecordsDeleted: Int) {
        self.contactsPurged = contactsPurged
        self.tokensDeleted = tokensDeleted
        self.idempotencyRecordsDeleted = idempotencyRecordsDeleted
    }

    public var contactsPurged: Int
    public var tokensDeleted: Int
    public var idempotencyRecordsDeleted: Int
}

extension Store {
    /// RGPD: removes reporters' contact data a set time (`contactRetention`, 90 days) after their signalement
    /// was closed, rejected or merged as a duplicate (or resolved and never closed, counting from the end of
    /// the reopening window); tokens expired or revoked more than a day ago; and
    /// expired idempotency records; the access log after `accessLogRetention`, the records of sent messages
    /// and of feedback after `notificationRetention`. Records the counts in `retention_runs`.
    public func purgeExpiredData() async throws -> RetentionRun {
        let now = nowMilliseconds
        let cutoff = now - Int64(settings.contactRetention * 1_000)
        let reopenWindow = settings.reopenWindow
        let securityLogRetention = settings.securityLogRetention
        let residents = settings.residents
        return try await database.write { db in
            // Resolved ones nobody closed count from the end of the reopening window.
            let resolvedCutoff = cutoff - Int64(reopenWindow * 1_000)
            let finished = SQLQueryString(
                """
                SELECT id FROM signalements WHERE (status = 'closed' AND closed_at <= \(bind: cutoff))
                   OR (status IN ('rejected', 'duplicate') AND updated_at <= \(bind: cutoff))
                   OR (status = 'resolved' AND resolved_at <= \(bind: resolvedCutoff))
                """)
            let contacts = try await db.raw("DELETE FROM signalement_contacts WHERE signalement_id IN (\(finished)) RETURNING signalement_id").all()
                .count
            let tokens = try await db.raw(
                """
                DELETE FROM access_tokens WHERE expires_at <= \(bind: now - 86_400_000)
                   OR (revoked_at IS NOT NULL AND revoked_at <= \(bind: now - 86_400_000)) RETURNING id
                """
            ).all().count
            let records = try await db.raw("DELETE FROM idempotency_records WHERE expires_at <= \(bind: now) RETURNING key_hash").all().count
            try await db.raw("DELETE FROM limit_counts WHERE window_start <= \(bind: now - 86_400_000)").run()
            try await db.raw("DELETE FROM security_events WHERE occurred_at <= \(bind: now - Int64(securityLogRetention * 1_000))").run()
            try await db.raw("DELETE FROM outbox WHERE dispatched_at IS NOT NULL AND dispatched_at <= \(bind: now - 30 * 86_400_000)").run()
            // The access log, and the records of messages and answers (never their text once sent).
            try await db.raw("DELETE FROM contact_reads WHERE created_at <= \(bind: now - Int64(residents.accessLogRetention * 1_000))").run()
            let recordsCutoff = now - Int64(residents.notificationRetention * 1_000)
            try await db.raw("DELETE FROM notifications WHERE status <> 'pending' AND created_at <= \(bind: recordsCutoff)").run()
            try await db.raw("DELETE FROM feedback_requests WHERE created_at <= \(bind: recordsCutoff)").run()
            try await db.insert(into: "retention_runs")
                .columns("id", "ran_at", "contacts_purged", "tokens_deleted", "idempotency_records_deleted")
                .values(SQLBind(Identifier.make("ret")), SQLBind(now), SQLBind(contacts), SQLBind(tokens), SQLBind(records))
                .run()
            return RetentionRun(contactsPurged: contacts, tokensDeleted: tokens, idempotencyRecordsDeleted: records)
        }
    }
}
