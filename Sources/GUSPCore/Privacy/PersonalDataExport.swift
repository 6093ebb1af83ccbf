import Foundation
import SQLKit

/// Everything gusp holds about one person with an account (RGPD, right of access and portability).
public struct PersonalData: Sendable {
    public struct Followed: Sendable, Equatable {
        public var signalementId: String
        public var reference: String
        public var since: Int64
    }

    public struct FeedbackGiven: Sendable, Equatable {
        public var signalementId: String
        public var reference: String
        public var status: FeedbackStatus
        public var answer: FeedbackAnswer?
        public var comment: String?
        public var answeredAt: Int64?
        public var outcome: FeedbackOutcome?
    }

    public struct MessageSent: Sendable, Equatable {
        public var kind: NotificationKind
        public var status: NotificationStatus
        public var signalementId: String?
        public var createdAt: Int64
        public var sentAt: Int64?
    }

    public var account: User
    public var preferences: NotificationPreferences
    /// The signalements they reported, with the contacts given with them (not those staff filed for
    /// others: those contacts are other people's).
    public var signalements: [Signalement]
    public var comments: [SignalementComment]
    public var confirmations: [Followed]
    public var follows: [Followed]
    public var alerts: [AreaAlert]
    public var feedback: [FeedbackGiven]
    /// The messages sent to them (kind and dates: their texts are not kept once sent).
    public var messages: [MessageSent]
    public var exportedAt: Int64
}

extension Store {
    /// The caller's own data, and only theirs: nothing about another person is in it.
    public func personalData(by actor: Actor) async throws -> PersonalData {
        guard actor.kind == .user else { throw DomainError.forbidden("a partner system has no personal data here") }
        let now = nowMilliseconds
        return try await database.read { db in
            guard let account = try await Self.loadUser(actor.id, db) else { throw DomainError.notFound("user not found") }
            let preferences = try await Self.preferences(of: actor.id, db)
            let rows = try await db.select().columns(Self.signalementColumns.map { SQLColumn($0, table: "signalements") }).from("signalements")
                .where("reporter_id", .equal, actor.id)
                .orderBy("created_at").orderBy("id").limit(10_000).all().map(SignalementRow.init)
            // Their own signalements, as they typed them: the contact and the description unmasked.
            let signalements = try await Self.completeSignalements(rows, db).map(\.signalement).map { signalement -> Signalement in
                var own = signalement
                own.isMine = signalement.reporterId == actor.id
                return own
            }
            let comments = try await db.select().column(SQLLiteral.all).from("signalement_comments").where("author_id", .equal, actor.id)
                .orderBy("created_at").orderBy("id").limit(10_000).all().map { row in
                    SignalementComment(
                        id: try row.decode(column: "id", as: String.self), signalementId: try row.decode(column: "signalement_id", as: String.self),
                        visibility: CommentVisibility(rawValue: try row.decode(column: "visibility", as: String.self)) ?? .public,
                        body: try row.decode(column: "body", as: String.self), authorId: actor.id, authorRole: actor.role,
                        createdAt: try row.decode(column: "created_at", as: Int64.self))
                }
            func linked(_ table: String) async throws -> [PersonalData.Followed] {
                try await db.raw(
                    """
                    SELECT l.signalement_id, s.reference, l.created_at FROM \(ident: table) l JOIN signalements s ON s.id = l.signalement_id
                    WHERE l.user_id = \(bind: actor.id) ORDER BY l.created_at LIMIT 10000
                    """
                ).all().map { row in
                    PersonalData.Followed(
                        signalementId: try row.decode(column: "signalement_id", as: String.self),
                        reference: try row.decode(column: "reference", as: String.self),
                        since: try row.decode(column: "created_at", as: Int64.self))
                }
            }
            let alerts = try await db.select().column(SQLLiteral.all).from("area_alerts").where("user_id", .equal, actor.id)
                .orderBy("created_at").orderBy("id").all().map(Self.areaAlert)
            let feedback = try await db.raw(
                """
                SELECT f.signalement_id, s.reference, f.status, f.answer, f.comment, f.answered_at, f.outcome
                FROM feedback_requests f JOIN signalements s ON s.id = f.signalement_id
                WHERE f.user_id = \(bind: actor.id) ORDER BY f.created_at LIMIT 10000
                """
            ).all().map { row in
                PersonalData.FeedbackGiven(
                    signalementId: try row.decode(column: "signalement_id", as: String.self),
                    reference: try row.decode(column: "reference", as: String.self),
                    status: FeedbackStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
                    answer: try row.decode(column: "answer", as: String?.self).flatMap(FeedbackAnswer.init(rawValue:)),
                    comment: try row.decode(column: "comment", as: String?.self), answeredAt: try row.decode(column: "answered_at", as: Int64?.self),
                    outcome: try row.decode(column: "outcome", as: String?.self).flatMap(FeedbackOutcome.init(rawValue:)))
            }
            let messages = try await db.select().columns("kind", "status", "signalement_id", "created_at", "sent_at").from("notifications")
                .where("user_id", .equal, actor.id).orderBy("created_at").orderBy("id").limit(10_000).all().map { row in
                    PersonalData.MessageSent(
                        kind: NotificationKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .acknowledged,
                        status: NotificationStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
                        signalementId: try row.decode(column: "signalement_id", as: String?.self),
                        createdAt: try row.decode(column: "created_at", as: Int64.self), sentAt: try row.decode(column: "sent_at", as: Int64?.self))
                }
            return PersonalData(
                account: account, preferences: preferences, signalements: signalements, comments: comments,
                confirmations: try await linked("signalement_confirmations"), follows: try await linked("signalement_followers"), alerts: alerts,
                feedback: feedback, messages: messages, exportedAt: now)
        }
    }
}
