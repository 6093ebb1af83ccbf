import Foundation
import GUSPDatabase
import SQLKit

/// A message claimed by one mail worker (its lease), with what sending it needs.
public struct ClaimedMail: Sendable {
    public var id: String
    public var kind: NotificationKind
    public var recipient: String
    public var recipientHash: String
    public var subject: String
    public var text: String
    public var html: String?
    public var unsubscribeURL: String?
    public var attempts: Int
    public var createdAt: Int64
}

/// How one attempt ended, as the worker saw it.
public enum MailAttempt: Sendable, Equatable {
    case sent
    /// The relay refused the address for good: it gets no further mail.
    case bounced(String)
    /// The relay refused this message for good (its content, its size): it is given up, the address is not blamed.
    case refused(String)
    /// Try again later.
    case failed(String)
}

extension Store {
    /// How long a worker holds a claimed message before another may take it (a crashed worker's): longer
    /// than the slowest SMTP dialogue (about eleven steps of 30 s each), so that a slow relay is not
    /// mistaken for a dead worker and the message sent twice.
    static let mailLease: Int64 = 600_000
    /// Retries stop this long after the message was queued, and it is marked failed.
    static let mailRetryWindow: Int64 = 3 * 86_400_000

    /// Claims up to `limit` due messages for `owner`; on PostgreSQL `FOR UPDATE SKIP LOCKED`, so that
    /// several instances share the work and none sends a message another holds.
    public func claimMail(owner: String, limit: Int) async throws -> [ClaimedMail] {
        let now = nowMilliseconds
        let skipLocked = database.engine == .postgres
        let claimable = SQLQueryString(
            """
            SELECT id FROM notifications WHERE status = 'pending' AND next_attempt_at <= \(bind: now)
              AND (lease_expires_at IS NULL OR lease_expires_at <= \(bind: now))
            """)
        guard try await database.read({ db in try await db.raw(claimable + " LIMIT 1").first() }) != nil else { return [] }
        return try await database.write { db in
            var query = claimable + " ORDER BY next_attempt_at LIMIT \(bind: limit)"
            if skipLocked { query += " FOR UPDATE SKIP LOCKED" }
            let ids = try await db.raw(query).all().map { try $0.decode(column: "id", as: String.self) }
            guard !ids.isEmpty else { return [] }
            try await db.update("notifications").set("lease_owner", to: owner).set("lease_expires_at", to: now + Self.mailLease)
                .where("id", .in, ids).run()
            let rows = try await db.select().column(SQLLiteral.all).from("notifications").where("id", .in, ids).all()
            var claimed: [ClaimedMail] = []
            var suppressed: [String] = []
            let hashes = try rows.map { try $0.decode(column: "recipient_hash", as: String.self) }
            let blocked = Set(
                try await db.select().column("recipient_hash").from("mail_suppressions").where("recipient_hash", .in, hashes).all()
                    .map { try $0.decode(column: "recipient_hash", as: String.self) })
            for row in rows {
                let id = try row.decode(column: "id", as: String.self)
                let hash = try row.decode(column: "recipient_hash", as: String.self)
                // Unsubscribed or bounced since it was queued.
                if blocked.contains(hash) {
                    suppressed.append(id)
                    continue
                }
                guard let kind = NotificationKind(rawValue: try row.decode(column: "kind", as: String.self)),
                    let recipient = try row.decode(column: "recipient", as: String?.self),
                    let subject = try row.decode(column: "subject", as: String?.self),
                    let text = try row.decode(column: "text_body", as: String?.self)
                else { throw StorageFailure(description: "notification \(id) cannot be sent: its kind or text is missing") }
                claimed.append(
                    ClaimedMail(
                        id: id, kind: kind, recipient: recipient, recipientHash: hash, subject: subject, text: text,
                        html: try row.decode(column: "html_body", as: String?.self),
                        unsubscribeURL: try row.decode(column: "unsubscribe_url", as: String?.self),
                        attempts: try row.decode(column: "attempts", as: Int.self), createdAt: try row.decode(column: "created_at", as: Int64.self)))
            }
            if !suppressed.isEmpty {
                try await Self.forget(suppressed, status: .suppressed, error: nil, at: now, db)
            }
            return claimed
        }
    }

    /// Records one attempt, in one transaction with the release of the lease: sent (its text and
    /// address are forgotten, the record stays for the indicators), bounced (the address is suppressed),
    /// or retried after a backoff until the retry window ends.
    public func recordMail(_ mail: ClaimedMail, owner: String, outcome: MailAttempt) async throws {
        let now = nowMilliseconds
        try await database.write { db in
            let ours = try await db.select().column("id").from("notifications").where("id", .equal, mail.id).where("lease_owner", .equal, owner)
                .where("status", .equal, NotificationStatus.pending.rawValue).first()
            guard ours != nil else { return }
            switch outcome {
            case .sent:
                try await Self.forget([mail.id], status: .sent, error: nil, at: now, db)
            case .bounced(let reason):
                try await Self.forget([mail.id], status: .bounced, error: reason, at: now, db)
                try await Self.suppress(mail.recipientHash, reason: "bounced", at: now, db)
            case .refused(let reason):
                try await Self.forget([mail.id], status: .failed, error: reason, at: now, db)
            case .failed(let reason):
                let attempts = mail.attempts + 1
                if now - mail.createdAt >= Self.mailRetryWindow {
                    try await Self.forget([mail.id], status: .failed, error: reason, at: now, db)
                } else {
                    try await db.update("notifications").set("attempts", to: attempts)
                        .set("next_attempt_at", to: now + Self.backoff(afterAttempt: attempts))
                        .set("last_error", to: String(reason.prefix(500))).set(SQLIdentifier("lease_owner"), to: SQLLiteral.null)
                        .set(SQLIdentifier("lease_expires_at"), to: SQLLiteral.null).where("id", .equal, mail.id).run()
                }
            }
        }
    }

    /// Gives back what `owner` claimed and did not send (a graceful stop): others take it at once.
    public func releaseMail(owner: String) async throws {
        try await database.write { db in
            try await db.update("notifications").set(SQLIdentifier("lease_owner"), to: SQLLiteral.null)
                .set(SQLIdentifier("lease_expires_at"), to: SQLLiteral.null).where("lease_owner", .equal, owner).run()
        }
    }

    /// Ends messages: their text, address and links are erased (personal data not needed any more).
    static func forget(_ ids: [String], status: NotificationStatus, error: String?, at now: Int64, _ db: any SQLDatabase) async throws {
        try await db.update("notifications").set("status", to: status.rawValue).set("sent_at", to: status == .sent ? now : nil)
            .set("last_error", to: error.map { String($0.prefix(500)) }).set(SQLIdentifier("recipient"), to: SQLLiteral.null)
            .set(SQLIdentifier("subject"), to: SQLLiteral.null).set(SQLIdentifier("text_body"), to: SQLLiteral.null)
            .set(SQLIdentifier("html_body"), to: SQLLiteral.null).set(SQLIdentifier("unsubscribe_url"), to: SQLLiteral.null)
            .set(SQLIdentifier("next_attempt_at"), to: SQLLiteral.null).set(SQLIdentifier("lease_owner"), to: SQLLiteral.null)
            .set(SQLIdentifier("lease_expires_at"), to: SQLLiteral.null).where("id", .in, ids).run()
    }

    /// Messages waiting, by kind (for `/metrics`).
    public func mailBacklog() async throws -> [String: Int] {
        try await database.read { db in
            var counts: [String: Int] = [:]
            for row in try await db.raw("SELECT kind, COUNT(*) AS n FROM notifications WHERE status = 'pending' GROUP BY kind").all() {
                counts[try row.decode(column: "kind", as: String.self)] = try row.decode(column: "n", as: Int.self)
            }
            return counts
        }
    }
}
