import Foundation
import SQLKit

/// One person a message goes to: an address, and the account when there is one.
struct MailRecipient: Sendable, Hashable {
    var address: String
    var userId: String?

    /// The stored key of an address (suppressions, records of sent mail): never the address itself.
    static func hash(_ address: String) -> String { TokenSecret.hash("mail:" + address.trimmingWhitespace.lowercased()) }
    var hash: String { Self.hash(address) }
}

/// Writes messages to residents into `notifications`, inside the transaction of the change they tell
/// of (the mail worker sends them: `MailDelivery`). Nothing is written when the deployment has no mail
/// relay, or for an address that unsubscribed or bounced.
enum NotificationOutbox {
    /// Which preference of the reporting account a message depends on.
    enum ReporterPreference: String {
        case ownReports = "own_reports"
        case feedbackRequests = "feedback_requests"
    }

    /// The reporter: the contact given with consent (`contact.notify`), and the reporting resident's
    /// account unless it turned `preference` off.
    static func reporters(of signalementId: String, preference: ReporterPreference, _ db: any SQLDatabase) async throws -> [MailRecipient] {
        var found: [MailRecipient] = []
        let contact = try await db.raw(
            """
            SELECT email FROM signalement_contacts WHERE signalement_id = \(bind: signalementId) AND notify = 1 AND email IS NOT NULL
            """
        ).first()
        if let email = try contact?.decode(column: "email", as: String.self) { found.append(MailRecipient(address: email, userId: nil)) }
        let reporter = try await db.raw(
            """
            SELECT u.id, u.email FROM signalements s JOIN users u ON u.id = s.reporter_id
            LEFT JOIN notification_preferences p ON p.user_id = u.id
            WHERE s.id = \(bind: signalementId) AND COALESCE(p.\(ident: preference.rawValue), 1) = 1
            """
        ).first()
        if let reporter {
            found.append(
                MailRecipient(
                    address: try reporter.decode(column: "email", as: String.self), userId: try reporter.decode(column: "id", as: String.self)))
        }
        return found
    }

    /// Who hears of a signalement's news: its reporter (`reporters`, unless the account turned
    /// `own_reports` off) and the followers who opted in (`followed_reports`).
    static func recipients(of signalementId: String, _ db: any SQLDatabase) async throws -> [MailRecipient] {
        var found = try await reporters(of: signalementId, preference: .ownReports, db)
        let followers = try await db.raw(
            """
            SELECT u.id, u.email FROM signalement_followers f JOIN users u ON u.id = f.user_id
            JOIN notification_preferences p ON p.user_id = u.id AND p.followed_reports = 1
            JOIN signalements s ON s.id = f.signalement_id
            WHERE f.signalement_id = \(bind: signalementId) AND (s.reporter_id IS NULL OR s.reporter_id <> u.id)
            ORDER BY f.created_at LIMIT 1000
            """
        ).all()
        for row in followers {
            found.append(
                MailRecipient(address: try row.decode(column: "email", as: String.self), userId: try row.decode(column: "id", as: String.self)))
        }
        return try await unsuppressed(found, db)
    }

    /// One per address (an account's own address wins over a typed contact), without suppressed ones.
    static func unsuppressed(_ recipients: [MailRecipient], _ db: any SQLDatabase) async throws -> [MailRecipient] {
        var byHash: [String: MailRecipient] = [:]
        var order: [String] = []
        for recipient in recipients {
            let key = recipient.hash
            if byHash[key] == nil { order.append(key) }
            if byHash[key]?.userId == nil { byHash[key] = recipient }
        }
        guard !order.isEmpty else { return [] }
        let suppressed = Set(
            try await db.select().column("recipient_hash").from("mail_suppressions").where("recipient_hash", .in, order).all()
                .map { try $0.decode(column: "recipient_hash", as: String.self) })
        return order.filter { !suppressed.contains($0) }.compactMap { byHash[$0] }
    }

    /// The public facts of a signalement a message names (labels read in the caller's transaction).
    static func notice(_ signalement: Signalement, settings: ResidentSettings, _ db: any SQLDatabase) async throws -> SignalementNotice {
        let row = try await db.raw(
            """
            SELECT c.label AS category, t.label AS quartier, p.name AS partner FROM categories c
            LEFT JOIN territories t ON t.id = \(bind: signalement.territoryId ?? "")
            LEFT JOIN partners p ON p.id = \(bind: signalement.partnerId ?? "")
            WHERE c.id = \(bind: signalement.categoryId)
            """
        ).first()
        return SignalementNotice(
            reference: signalement.reference, category: try row?.decode(column: "category", as: String.self) ?? "Signalement",
            quartier: try row?.decode(column: "quartier", as: String?.self), partner: try row?.decode(column: "partner", as: String?.self),
            dueAt: signalement.dueAt, trackingURL: PublicLinks.tracking(signalement.reference, settings))
    }

    /// Queues the message of `kind` about `signalement` for each of its recipients.
    static func signalementNews(
        _ kind: NotificationKind, _ signalement: Signalement, note: String? = nil, original: Signalement? = nil,
        settings: ResidentSettings, at now: Int64, _ db: any SQLDatabase
    ) async throws {
        guard settings.mail != nil else { return }
        let recipients = try await recipients(of: signalement.id, db)
        guard !recipients.isEmpty else { return }
        var notice = try await notice(signalement, settings: settings, db)
        if let original { notice.trackingURL = PublicLinks.tracking(original.reference, settings) }
        // Followers are other residents: a number or an address typed into a comment or a reason is not repeated.
        let content = notice.content(kind, note: note.map(ContactMask.masked), originalReference: original?.reference)
        for recipient in recipients {
            try await queue(kind, content, to: recipient, signalementId: signalement.id, settings: settings, at: now, db)
        }
    }

    /// Writes one message: its text made now, its unsubscribe link's secret kept only as a hash (and in
    /// the text, until it is sent).
    static func queue(
        _ kind: NotificationKind, _ content: MailContent, to recipient: MailRecipient, signalementId: String?, settings: ResidentSettings,
        at now: Int64, _ db: any SQLDatabase
    ) async throws {
        let token = TokenSecret(kind: .unsubscribe).value
        let unsubscribe = PublicLinks.unsubscribe(token, settings)
        let rendered = MailLayout.render(content, unsubscribeURL: unsubscribe)
        try await db.insert(into: "notifications")
            .columns(
                "id", "kind", "signalement_id", "user_id", "recipient", "recipient_hash", "subject", "text_body", "html_body", "unsubscribe_url",
                "unsubscribe_token_hash", "status", "attempts", "next_attempt_at", "created_at"
            )
            .values(
                SQLBind(Identifier.make("ntf")), SQLBind(kind.rawValue), SQLBind(signalementId), SQLBind(recipient.userId),
                SQLBind(recipient.address), SQLBind(recipient.hash), SQLBind(rendered.subject), SQLBind(rendered.text), SQLBind(rendered.html),
                SQLBind(unsubscribe), SQLBind(TokenSecret.hash(token)), SQLBind(NotificationStatus.pending.rawValue), SQLBind(0), SQLBind(now),
                SQLBind(now)
            )
            .run()
    }
}

/// The public pages' addresses, from the deployment's public URL.
enum PublicLinks {
    private static func base(_ settings: ResidentSettings) -> String {
        settings.publicURL.hasSuffix("/") ? String(settings.publicURL.dropLast()) : settings.publicURL
    }

    static func tracking(_ reference: String, _ settings: ResidentSettings) -> String { base(settings) + "/suivi/" + reference }
    static func unsubscribe(_ token: String, _ settings: ResidentSettings) -> String { base(settings) + "/desabonnement/" + token }
    static func feedback(_ token: String, answer: FeedbackAnswer, _ settings: ResidentSettings) -> String {
        base(settings) + "/retour/" + token + "?reponse=" + answer.rawValue
    }
}
