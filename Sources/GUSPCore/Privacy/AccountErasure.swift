import Foundation
import SQLKit

extension Store {
    /// RGPD, right to erasure: a resident deletes their account. Their signalements stay, without a
    /// reporter (pseudonymous); the contacts given with them are purged at once; their comments stay
    /// without an author; their tokens, alerts, preferences, confirmations and follows go with the
    /// account; messages still waiting for them are not sent. Staff accounts are closed by an admin or
    /// coordinator (`DELETE /v1/users/{id}`), who hands their work over first.
    public func eraseOwnAccount(by actor: Actor) async throws {
        guard actor.kind == .user else { throw DomainError.forbidden("a partner system has no account to erase") }
        guard actor.role == .resident else {
            throw DomainError.forbidden("staff and elected officials' accounts are closed by an admin or a coordinator")
        }
        let now = nowMilliseconds
        try await writeReference { db in
            guard try await Self.loadUser(actor.id, db, forUpdate: true) != nil else { throw DomainError.notFound("user not found") }
            let own = SQLQueryString("SELECT id FROM signalements WHERE reporter_id = \(bind: actor.id) OR filed_by = \(bind: actor.id)")
            try await db.raw("DELETE FROM signalement_contacts WHERE signalement_id IN (\(own))").run()
            // Nothing waiting for them goes, and no record keeps a key computable from their address.
            try await db.raw(
                "DELETE FROM notifications WHERE status = 'pending' AND (user_id = \(bind: actor.id) OR signalement_id IN (\(own)))"
            ).run()
            try await db.raw(
                "UPDATE notifications SET recipient_hash = 'erased:' || id WHERE user_id = \(bind: actor.id) OR signalement_id IN (\(own))"
            ).run()
            try await db.raw(
                """
                UPDATE feedback_requests SET recipient_hash = 'erased:' || id, comment = NULL
                WHERE user_id = \(bind: actor.id) OR signalement_id IN (\(own))
                """
            ).run()
            try await db.raw("UPDATE signalements SET reporter_id = NULL WHERE reporter_id = \(bind: actor.id)").run()
            try await db.raw("UPDATE signalements SET filed_by = NULL WHERE filed_by = \(bind: actor.id)").run()
            try await db.raw("UPDATE signalement_comments SET author_id = NULL WHERE author_id = \(bind: actor.id)").run()
            try await db.raw("UPDATE signalement_photos SET uploaded_by = NULL WHERE uploaded_by = \(bind: actor.id)").run()
            try await db.delete(from: "access_tokens").where("user_id", .equal, actor.id).run()
            try await db.delete(from: "users").where("id", .equal, actor.id).run()
            try await SecurityLog.append(db, .userDeleted, actorId: actor.id, userId: actor.id, detail: "erased by the holder", at: now)
            try await EventLog.append(db, .user, actor.id, "erased", actor: actor, at: now)
        }
    }

    /// A coordinator (of its territory) or an admin erases the contact of a signalement, found by id or
    /// public reference: a phone reporter asking for it. The signalement stays; the contact is gone now,
    /// not at the end of the retention period.
    public func eraseContact(of idOrReference: String, by actor: Actor) async throws {
        guard actor.role == .admin || actor.role == .coordinator else {
            throw DomainError.forbidden("contacts are erased by a coordinator of the signalement's territory or an admin")
        }
        let now = nowMilliseconds
        try await database.write { db in
            var id = idOrReference
            if !idOrReference.hasPrefix("sig_"), let reference = PublicReference.normalized(idOrReference),
                let row = try await db.select().column("id").from("signalements").where("reference", .equal, reference).first()
            {
                id = try row.decode(column: "id", as: String.self)
            }
            let loaded = try await Self.visibleSignalement(id, actor, db, forUpdate: true)
            if actor.role == .coordinator, !SignalementAccess.coordinates(actor, loaded.signalement) {
                throw DomainError.forbidden("only a coordinator of the signalement's territory erases its contact")
            }
            let erased = try await db.delete(from: "signalement_contacts").where("signalement_id", .equal, id).returning("signalement_id").all()
            if erased.isEmpty { throw DomainError.notFound("this signalement holds no contact") }
            try await db.raw("DELETE FROM notifications WHERE signalement_id = \(bind: id) AND user_id IS NULL AND status = 'pending'").run()
            try await EventLog.append(db, .signalement, id, "contact_erased", actor: actor, at: now)
        }
    }
}
