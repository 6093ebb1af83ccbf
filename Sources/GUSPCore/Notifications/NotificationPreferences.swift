import Foundation
import SQLKit

/// What a person with an account wants to receive by email.
public struct NotificationPreferences: Sendable, Equatable {
    /// News of the signalements they reported (default: yes).
    public var ownReports: Bool
    /// News of signalements they follow ("moi aussi") without having reported them (default: no).
    public var followedReports: Bool
    /// "Est-ce réglé ?" after a resolution (default: yes).
    public var feedbackRequests: Bool
    /// Whether their address gets mail at all: false once it unsubscribed or bounced.
    public var emailEnabled: Bool

    public init(ownReports: Bool = true, followedReports: Bool = false, feedbackRequests: Bool = true, emailEnabled: Bool = true) {
        self.ownReports = ownReports
        self.followedReports = followedReports
        self.feedbackRequests = feedbackRequests
        self.emailEnabled = emailEnabled
    }
}

/// A change of preferences: `nil` leaves one as it is. `emailEnabled: true` lifts an unsubscription
/// or a bounce of the account's own address.
public struct NotificationPreferenceChanges: Sendable {
    public var ownReports: Bool?
    public var followedReports: Bool?
    public var feedbackRequests: Bool?
    public var emailEnabled: Bool?

    public init(ownReports: Bool? = nil, followedReports: Bool? = nil, feedbackRequests: Bool? = nil, emailEnabled: Bool? = nil) {
        self.ownReports = ownReports
        self.followedReports = followedReports
        self.feedbackRequests = feedbackRequests
        self.emailEnabled = emailEnabled
    }
}

extension Store {
    public func notificationPreferences(by actor: Actor) async throws -> NotificationPreferences {
        guard actor.kind == .user else { throw DomainError.forbidden("preferences belong to people, not partner systems") }
        return try await database.read { db in try await Self.preferences(of: actor.id, db) }
    }

    public func updateNotificationPreferences(_ changes: NotificationPreferenceChanges, by actor: Actor) async throws -> NotificationPreferences {
        guard actor.kind == .user else { throw DomainError.forbidden("preferences belong to people, not partner systems") }
        let now = nowMilliseconds
        return try await database.write { db in
            var preferences = try await Self.preferences(of: actor.id, db)
            if let value = changes.ownReports { preferences.ownReports = value }
            if let value = changes.followedReports { preferences.followedReports = value }
            if let value = changes.feedbackRequests { preferences.feedbackRequests = value }
            try await db.raw(
                """
                INSERT INTO notification_preferences (user_id, own_reports, followed_reports, feedback_requests, updated_at)
                VALUES (\(bind: actor.id), \(bind: preferences.ownReports ? 1 : 0), \(bind: preferences.followedReports ? 1 : 0),
                        \(bind: preferences.feedbackRequests ? 1 : 0), \(bind: now))
                ON CONFLICT (user_id) DO UPDATE SET own_reports = excluded.own_reports, followed_reports = excluded.followed_reports,
                  feedback_requests = excluded.feedback_requests, updated_at = excluded.updated_at
                """
            ).run()
            if let enabled = changes.emailEnabled, let email = try await Self.accountEmail(actor.id, db) {
                let hash = MailRecipient.hash(email)
                if enabled {
                    try await db.delete(from: "mail_suppressions").where("recipient_hash", .equal, hash).run()
                } else {
                    try await Self.suppress(hash, reason: "unsubscribed", at: now, db)
                }
                preferences.emailEnabled = enabled
            }
            try await EventLog.append(db, .user, actor.id, "notification_preferences_changed", actor: actor, at: now)
            return preferences
        }
    }

    static func preferences(of userId: String, _ db: any SQLDatabase) async throws -> NotificationPreferences {
        var preferences = NotificationPreferences()
        if let row = try await db.select().columns("own_reports", "followed_reports", "feedback_requests").from("notification_preferences")
            .where("user_id", .equal, userId).first()
        {
            preferences.ownReports = try row.decode(column: "own_reports", as: Int.self) != 0
            preferences.followedReports = try row.decode(column: "followed_reports", as: Int.self) != 0
            preferences.feedbackRequests = try row.decode(column: "feedback_requests", as: Int.self) != 0
        }
        if let email = try await accountEmail(userId, db) {
            preferences.emailEnabled =
                try await db.select().column("recipient_hash").from("mail_suppressions")
                .where("recipient_hash", .equal, MailRecipient.hash(email)).first() == nil
        }
        return preferences
    }

    static func accountEmail(_ userId: String, _ db: any SQLDatabase) async throws -> String? {
        try await db.select().column("email").from("users").where("id", .equal, userId).first()?.decode(column: "email", as: String.self)
    }

    static func suppress(_ hash: String, reason: String, at now: Int64, _ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO mail_suppressions (recipient_hash, reason, created_at) VALUES (\(bind: hash), \(bind: reason), \(bind: now))
            ON CONFLICT DO NOTHING
            """
        ).run()
    }

    /// The unsubscribe link of a message, without logging in: its address gets no further mail. Known
    /// tokens answer the same however often they are used (a mail client's one-click POST may repeat).
    /// Returns false for an unknown token.
    public func unsubscribe(token: String) async throws -> Bool {
        let now = nowMilliseconds
        return try await database.write { db in
            guard
                let row = try await db.select().column("recipient_hash").from("notifications")
                    .where("unsubscribe_token_hash", .equal, TokenSecret.hash(token)).first()
            else { return false }
            try await Self.suppress(try row.decode(column: "recipient_hash", as: String.self), reason: "unsubscribed", at: now, db)
            return true
        }
    }

    /// Whether an unsubscribe token is one of ours (the confirmation page is shown only for those).
    public func knowsUnsubscribeToken(_ token: String) async throws -> Bool {
        try await database.read { db in
            try await db.select().column("id").from("notifications").where("unsubscribe_token_hash", .equal, TokenSecret.hash(token)).first() != nil
        }
    }
}
