import Foundation
import SQLKit

extension Store {
    /// How far back the asking sweep looks past the delay: a resolution the worker missed for longer
    /// (it was stopped) is not asked about any more, rather than asked about weeks late.
    static let feedbackLookback: Int64 = 3 * 86_400_000

    /// Sends "est-ce réglé ?" for signalements resolved `feedbackDelay` ago (still resolved or closed
    /// since): one questionnaire per resolution and per reporter (the contact given with consent, the
    /// reporting resident's account unless they opted out), written with its message in one transaction.
    /// Returns how many signalements it asked about.
    public func askForFeedback(limit: Int = 100) async throws -> Int {
        let residents = settings.residents
        guard residents.mail != nil else { return 0 }
        let now = nowMilliseconds
        let until = now - Int64(residents.feedbackDelay * 1_000)
        return try await database.write { db in
            let rows = try await db.raw(
                """
                SELECT s.id FROM signalements s
                WHERE s.resolved_at IS NOT NULL AND s.resolved_at <= \(bind: until) AND s.resolved_at > \(bind: until - Self.feedbackLookback)
                  AND s.status IN ('resolved', 'closed')
                  AND NOT EXISTS (SELECT 1 FROM signalement_asked f WHERE f.signalement_id = s.id AND f.resolved_at = s.resolved_at)
                ORDER BY s.resolved_at LIMIT \(bind: limit)
                """
            ).all()
            for row in rows {
                let id = try row.decode(column: "id", as: String.self)
                guard let loaded = try await Self.loadSignalement(id, db, forUpdate: true), let resolvedAt = loaded.signalement.resolvedAt else {
                    continue
                }
                try await Self.ask(loaded.signalement, resolvedAt: resolvedAt, settings: residents, at: now, db)
            }
            return rows.count
        }
    }

    /// Writes the questionnaires of one resolution and their messages; marks the resolution asked even
    /// when nobody is to be asked, so that the sweep does not look at it again.
    static func ask(_ signalement: Signalement, resolvedAt: Int64, settings: ResidentSettings, at now: Int64, _ db: any SQLDatabase) async throws {
        // Another instance asking at the same time: whoever marks the resolution asks, the other skips it.
        let marked = try await db.raw(
            """
            INSERT INTO signalement_asked (signalement_id, resolved_at, asked_at) VALUES (\(bind: signalement.id), \(bind: resolvedAt), \(bind: now))
            ON CONFLICT DO NOTHING RETURNING signalement_id
            """
        ).all()
        guard !marked.isEmpty else { return }
        // The reporter only, unless the account turned `feedback_requests` off.
        let recipients = try await NotificationOutbox.unsuppressed(
            try await NotificationOutbox.reporters(of: signalement.id, preference: .feedbackRequests, db), db)
        guard !recipients.isEmpty else { return }
        let notice = try await NotificationOutbox.notice(signalement, settings: settings, db)
        for recipient in recipients {
            let token = TokenSecret(kind: .feedback).value
            try await db.insert(into: "feedback_requests")
                .columns(
                    "id", "signalement_id", "resolved_at", "user_id", "recipient_hash", "territory_id", "partner_id", "category_id", "token_hash",
                    "status",
                    "created_at", "expires_at"
                )
                .values(
                    SQLBind(Identifier.make("fbk")), SQLBind(signalement.id), SQLBind(resolvedAt), SQLBind(recipient.userId),
                    SQLBind(recipient.hash), SQLBind(signalement.territoryId), SQLBind(signalement.partnerId), SQLBind(signalement.categoryId),
                    SQLBind(TokenSecret.hash(token)),
                    SQLBind(FeedbackStatus.pending.rawValue), SQLBind(now), SQLBind(now + Int64(settings.feedbackLifetime * 1_000))
                )
                .run()
            let content = MailContent(
                subject: "Est-ce réglé ? Votre signalement \(notice.reference)", title: "Est-ce réglé ?",
                paragraphs: [
                    "Votre signalement \(notice.reference) (\(notice.category)\(notice.quartier.map { ", \($0)" } ?? "")) a été indiqué comme résolu le \(FrenchDates.day(resolvedAt)). Le problème est-il vraiment réglé ?",
                    "Un clic suffit ; vous pourrez ajouter un commentaire. Si ce n'est pas réglé, le signalement sera rouvert.",
                ],
                actions: FeedbackAnswer.allCases.map { MailContent.Action(label: $0.label, url: PublicLinks.feedback(token, answer: $0, settings)) },
                reason: "Vous recevez ce message parce que vous avez fait ce signalement et demandé à en être informé(e).")
            try await NotificationOutbox.queue(
                .feedbackRequest, content, to: recipient, signalementId: signalement.id, settings: settings, at: now, db)
        }
    }
}
