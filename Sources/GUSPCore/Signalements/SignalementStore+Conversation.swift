import Foundation
import SQLKit

public enum CommentVisibility: String, Sendable, CaseIterable {
    /// Seen by everyone who sees the signalement, the reporter included.
    case `public`
    /// Seen by the assigned partner's staff, coordinators and admins only.
    case `internal`
}

public struct SignalementComment: Sendable, Equatable {
    public var id: String
    public var signalementId: String
    public var visibility: CommentVisibility
    public var body: String
    /// Hidden (nil) when the author is a resident and the reader may not see personal data.
    public var authorId: String?
    public var authorRole: Role
    public var createdAt: Int64
}

private struct CommentRow: Decodable {
    var id: String, signalementId: String, visibility: String, body: String, authorId: String?, authorRole: String
    var authorPartnerId: String?, createdAt: Int64
}

/// Answer to "me too".
public struct Confirmation: Sendable, Equatable {
    /// False when this resident had already confirmed (nothing changed).
    public var created: Bool
    public var confirmationsCount: Int

    public init(created: Bool, confirmationsCount: Int) {
        self.created = created
        self.confirmationsCount = confirmationsCount
    }
}

extension Store {
    public func commentSignalement(_ id: String, body: String, visibility: CommentVisibility, by actor: Actor) async throws -> SignalementComment {
        try Permissions.requireRole(actor, .commentSignalement)
        var check = Validator()
        SignalementRules.checkDescription(body, field: "body", into: &check)
        try check.throwIfFailed()
        let now = nowMilliseconds
        let residents = settings.residents
        return try await database.write { db in
            let loaded = try await Self.visibleSignalement(id, actor, db)
            let signalement = loaded.signalement
            switch visibility {
            case .internal:
                if !SignalementAccess.seesInternal(actor, signalement) {
                    throw DomainError.forbidden("internal comments are for the assigned partner, coordinators and admins")
                }
            case .public:
                var scope = SignalementAccess.scope(signalement)
                scope.userId = signalement.reporterId
                if !Permissions.allows(actor, .commentSignalement, on: scope), !SignalementAccess.coordinates(actor, signalement) {
                    throw DomainError.forbidden("a resident comments on their own signalements; others may confirm them")
                }
            }
            let comment = SignalementComment(
                id: Identifier.make("com"), signalementId: id, visibility: visibility,
                body: body.trimmingWhitespace, authorId: actor.id, authorRole: actor.role, createdAt: now)
            try await Self.saveComment(comment, authorPartnerId: actor.partnerId, for: signalement.partnerId, actor: actor, db)
            // The reporter and followers hear of what others say publicly, never of internal notes.
            if visibility == .public, actor.role != .resident {
                try await NotificationOutbox.signalementNews(.commented, signalement, note: comment.body, settings: residents, at: now, db)
            }
            return comment
        }
    }

    /// Writes a comment with its event and its outbox message (to `partnerId`'s subscriptions), in the
    /// caller's transaction. Without an actor (a resident's answer to "est-ce réglé ?") the event says
    /// `feedback`.
    static func saveComment(
        _ comment: SignalementComment, authorPartnerId: String?, for partnerId: String?, actor: Actor?, _ db: any SQLDatabase
    ) async throws {
        try await db.insert(into: "signalement_comments")
            .columns("id", "signalement_id", "visibility", "body", "author_id", "author_role", "author_partner_id", "created_at")
            .values(
                SQLBind(comment.id), SQLBind(comment.signalementId), SQLBind(comment.visibility.rawValue), SQLBind(comment.body),
                SQLBind(comment.authorId), SQLBind(comment.authorRole.rawValue), SQLBind(authorPartnerId), SQLBind(comment.createdAt)
            )
            .run()
        try await EventLog.append(
            db, .signalement, comment.signalementId, comment.visibility == .public ? "commented" : "commented_internally",
            actor: actor, changes: actor == nil ? ["feedback"] : [], at: comment.createdAt)
        try await Outbox.append(
            [
                OutboxMessage(
                    .signalementCommented, .signalement, comment.signalementId, partners: [partnerId],
                    data: [
                        "signalement_id": .text(comment.signalementId), "comment_id": .text(comment.id),
                        "visibility": .text(comment.visibility.rawValue), "author_role": .text(comment.authorRole.rawValue),
                    ], at: comment.createdAt)
            ], db)
    }

    /// Comments in order. Internal ones go to admins and coordinators, and to a partner's staff only
    /// when written by that partner or by the coordination: after a transfer, the new partner does not
    /// read the previous partner's notes. A resident author's id shows to the staff and to themselves.
    public func signalementComments(_ id: String, page: PageRequest, by actor: Actor) async throws -> Page<SignalementComment> {
        try Permissions.requireRole(actor, .readSignalement)
        return try await database.read { db in
            let loaded = try await Self.visibleSignalement(id, actor, db)
            let staff = SignalementAccess.seesInternal(actor, loaded.signalement)
            let query = db.select().column(SQLLiteral.all).from("signalement_comments").where("signalement_id", .equal, id)
            if !staff {
                query.where("visibility", .equal, CommentVisibility.public.rawValue)
            } else if actor.role == .technician || actor.role == .partnerSystem {
                query.where {
                    $0.where("visibility", .equal, CommentVisibility.public.rawValue)
                        .orWhere("author_partner_id", .is, SQLLiteral.null)
                        .orWhere("author_partner_id", .equal, actor.partnerId ?? "")
                }
            }
            let rows = try await query.paged(page, table: "signalement_comments")
                .all(decoding: CommentRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            let comments = rows.map { row in
                let role = Role(rawValue: row.authorRole) ?? .resident
                return SignalementComment(
                    id: row.id, signalementId: row.signalementId, visibility: CommentVisibility(rawValue: row.visibility) ?? .internal,
                    body: row.body, authorId: role == .resident && !staff && row.authorId != actor.id ? nil : row.authorId,
                    authorRole: role, createdAt: row.createdAt)
            }
            return Page(rows: comments, request: page) { PageCursor(createdAt: $0.createdAt, id: $0.id) }
        }
    }

    /// "Me too" by a resident other than the reporter, on an open signalement; once per resident.
    public func confirmSignalement(_ id: String, by actor: Actor) async throws -> Confirmation {
        try Permissions.requireRole(actor, .confirmSignalement)
        let now = nowMilliseconds
        let policy = settings.escalation
        return try await database.write { db in
            let loaded = try await Self.visibleSignalement(id, actor, db, forUpdate: true)
            var signalement = loaded.signalement
            if signalement.reporterId == actor.id { throw DomainError.conflict("you reported this signalement") }
            guard signalement.status.isOpen else {
                throw DomainError.conflict("only open signalements can be confirmed (this one is \(signalement.status.rawValue))")
            }
            let inserted = try await db.raw(
                """
                INSERT INTO signalement_confirmations (signalement_id, user_id, created_at)
                VALUES (\(bind: id), \(bind: actor.id), \(bind: now)) ON CONFLICT DO NOTHING RETURNING user_id
                """
            ).all()
            guard !inserted.isEmpty else { return Confirmation(created: false, confirmationsCount: signalement.confirmationsCount) }
            try await Self.follow(id, userId: actor.id, at: now, db)
            signalement.confirmationsCount = try await Self.confirmationCount(id, db)
            try await Self.saveState(&signalement, from: loaded.signalement, policy: policy, at: now, db)
            try await EventLog.append(db, .signalement, id, "confirmed", actor: actor, changes: ["confirmations_count"], at: now)
            return Confirmation(created: true, confirmationsCount: signalement.confirmationsCount)
        }
    }

    /// The history of one signalement for whoever may see it. Residents' identities show to the staff
    /// (admins, its coordinators, the assigned partner) and to themselves; internal comments show as
    /// events to admins and coordinators only (a partner's notes stay that partner's).
    public func signalementEvents(_ id: String, page: PageRequest, by actor: Actor) async throws -> Page<Event> {
        try Permissions.requireRole(actor, .readSignalement)
        return try await database.read { db in
            let loaded = try await Self.visibleSignalement(id, actor, db)
            let query = db.select().column(SQLLiteral.all).from("events")
                .where("resource_type", .equal, ResourceType.signalement.rawValue).where("resource_id", .equal, id)
            if actor.role != .admin, !SignalementAccess.coordinates(actor, loaded.signalement) {
                query.where("action", .notEqual, "commented_internally")
            }
            if let after = page.after {
                query.where {
                    $0.where("occurred_at", .greaterThan, after.createdAt)
                        .orWhere { $0.where("occurred_at", .equal, after.createdAt).where("id", .greaterThan, after.id) }
                }
            }
            let rows = try await query.orderBy("occurred_at").orderBy("id").limit(page.limit + 1)
                .all(decoding: EventRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            let staff = SignalementAccess.seesInternal(actor, loaded.signalement)
            let events = rows.map { row in
                var event = row.event
                if event.actorRole == .resident, !staff, event.actorId != actor.id { event.actorId = nil }
                // Others see the notes of state changes (why it was rejected, reopened), not routing or merge notes.
                if !staff, event.action != "status_changed" { event.note = nil }
                return event
            }
            return Page(rows: events, request: page) { PageCursor(createdAt: $0.occurredAt, id: $0.id) }
        }
    }
}
