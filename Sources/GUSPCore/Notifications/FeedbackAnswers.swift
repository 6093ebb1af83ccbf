import Foundation
import GUSPDatabase
import SQLKit

extension Store {
    /// Opens a questionnaire's link. With an answer (the mail's one-click links), records it as
    /// provisional: mail scanners open links too, so it takes effect only on confirmation or an hour
    /// later unchanged — and never by itself once two different answers were opened (a scanner opening
    /// every link): then only the confirmation counts. 404 for an unknown token, 410 once settled or expired.
    public func openFeedback(token: String, answer: FeedbackAnswer?) async throws -> FeedbackQuestion {
        let now = nowMilliseconds
        return try await database.write { db in
            var request = try await Self.liveFeedbackRequest(token, at: now, db)
            if let answer {
                request.status = .provisional
                request.answer = answer
                request.answeredAt = now
                request.answersOpened.insert(answer.rawValue)
                try await db.update("feedback_requests").set("status", to: FeedbackStatus.provisional.rawValue).set("answer", to: answer.rawValue)
                    .set("answered_at", to: now).set("answers_opened", to: request.answersOpened.sorted().joined(separator: ","))
                    .where("id", .equal, request.id).run()
            }
            return try await request.question(settings: self.settings.residents, db)
        }
    }

    /// Confirms an answer (the page's button), with an optional comment: it takes effect now.
    public func confirmFeedback(token: String, answer: FeedbackAnswer, comment: String?) async throws -> FeedbackQuestion {
        var check = Validator()
        check.text(comment, "commentaire", required: false, maxLength: 2_000)
        try check.throwIfFailed()
        let comment = comment.map(\.trimmingWhitespace).flatMap { $0.isEmpty ? nil : $0 }
        let now = nowMilliseconds
        let residents = settings.residents
        let reopenWindow = settings.reopenWindow
        let policy = settings.escalation
        return try await database.write { db in
            var request = try await Self.liveFeedbackRequest(token, at: now, db)
            request.answer = answer
            request.comment = comment
            request.answeredAt = request.answeredAt ?? now
            try await Self.settle(&request, reopenWindow: reopenWindow, policy: policy, at: now, db)
            return try await request.question(settings: residents, db)
        }
    }

    /// Gives effect to provisional answers left unchanged for `provisionalAnswerDelay`. Returns how many.
    public func settleProvisionalFeedback(limit: Int = 100) async throws -> Int {
        let now = nowMilliseconds
        let cutoff = now - Int64(settings.residents.provisionalAnswerDelay * 1_000)
        let reopenWindow = settings.reopenWindow
        let policy = settings.escalation
        let skipLocked = database.engine == .postgres
        return try await database.write { db in
            var query = SQLQueryString(
                """
                SELECT * FROM feedback_requests WHERE status = 'provisional' AND answered_at <= \(bind: cutoff) ORDER BY answered_at LIMIT \(bind: limit)
                """)
            if skipLocked { query.appendLiteral(" FOR UPDATE SKIP LOCKED") }
            var settled = 0
            for row in try await db.raw(query).all() {
                var request = try FeedbackRequestRow(row)
                // Several answers opened: a scanner, not a person. It waits for the confirmation (or expires).
                guard request.answersOpened.count == 1 else {
                    try await db.update("feedback_requests").set("status", to: FeedbackStatus.pending.rawValue)
                        .where("id", .equal, request.id).run()
                    continue
                }
                try await Self.settle(&request, reopenWindow: reopenWindow, policy: policy, at: now, db)
                settled += 1
            }
            return settled
        }
    }

    /// The request behind a token, if it may still be answered.
    static func liveFeedbackRequest(_ token: String, at now: Int64, _ db: any SQLDatabase) async throws -> FeedbackRequestRow {
        guard
            let row = try await db.select().column(SQLLiteral.all).from("feedback_requests")
                .where("token_hash", .equal, TokenSecret.hash(token)).for(.update).first()
        else { throw DomainError.notFound("ce lien de réponse n'existe pas") }
        let request = try FeedbackRequestRow(row)
        if request.status == .settled { throw DomainError.gone("votre réponse a déjà été prise en compte : ce lien ne sert plus") }
        if request.expiresAt <= now { throw DomainError.gone("ce lien de réponse a expiré") }
        return request
    }

    /// Gives the answer its effect, in the caller's transaction: "non" reopens a signalement still
    /// resolved within the reopening window (the answer is the event's note), "en partie" becomes a
    /// public comment to the partner, "oui" is recorded.
    static func settle(
        _ request: inout FeedbackRequestRow, reopenWindow: TimeInterval, policy: EscalationPolicy, at now: Int64, _ db: any SQLDatabase
    ) async throws {
        guard let answer = request.answer else { return }
        let words = "Retour du résident (« est-ce réglé ? ») : \(answer.label.lowercased())" + (request.comment.map { ". \($0)" } ?? "")
        var outcome = FeedbackOutcome.confirmed
        switch answer {
        case .fixed:
            break
        case .notFixed:
            outcome = .notReopened
            // Only the resolution it asked about: an old questionnaire does not reopen a later resolution.
            if let loaded = try await loadSignalement(request.signalementId, db, forUpdate: true), loaded.signalement.status == .resolved,
                let resolvedAt = loaded.signalement.resolvedAt, resolvedAt == request.resolvedAt, now - resolvedAt <= Int64(reopenWindow * 1_000)
            {
                var signalement = loaded.signalement
                signalement.status = .reopened
                signalement.resolvedAt = nil
                try await saveState(&signalement, from: loaded.signalement, policy: policy, at: now, db)
                try await EventLog.append(
                    db, .signalement, signalement.id, "status_changed", actor: nil, changes: ["feedback"],
                    from: SignalementStatus.resolved.rawValue, to: SignalementStatus.reopened.rawValue, note: words, at: now)
                try await Outbox.append([Outbox.statusChanged(signalement, from: .resolved, at: now, cause: "feedback")], db)
                outcome = .reopened
            }
        case .partly:
            let comment = SignalementComment(
                id: Identifier.make("com"), signalementId: request.signalementId, visibility: .public, body: words, authorId: request.userId,
                authorRole: .resident, createdAt: now)
            try await saveComment(comment, authorPartnerId: nil, for: request.partnerId, actor: nil, db)
            outcome = .commented
        }
        request.status = .settled
        request.outcome = outcome
        try await db.update("feedback_requests").set("status", to: FeedbackStatus.settled.rawValue).set("answer", to: answer.rawValue)
            .set("comment", to: request.comment).set("answered_at", to: request.answeredAt).set("settled_at", to: now)
            .set("outcome", to: outcome.rawValue).where("id", .equal, request.id).run()
    }
}

/// A stored questionnaire.
struct FeedbackRequestRow {
    var id: String, signalementId: String, resolvedAt: Int64, userId: String?, partnerId: String?, status: FeedbackStatus
    /// The answers whose links were opened (one person opens one; a scanner opens them all).
    var answersOpened: Set<String>
    var answer: FeedbackAnswer?, comment: String?, answeredAt: Int64?, outcome: FeedbackOutcome?, expiresAt: Int64

    init(_ row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        signalementId = try row.decode(column: "signalement_id", as: String.self)
        resolvedAt = try row.decode(column: "resolved_at", as: Int64.self)
        answersOpened = Set(try row.decode(column: "answers_opened", as: String.self).split(separator: ",").map(String.init))
        userId = try row.decode(column: "user_id", as: String?.self)
        partnerId = try row.decode(column: "partner_id", as: String?.self)
        guard let status = FeedbackStatus(rawValue: try row.decode(column: "status", as: String.self)) else {
            throw StorageFailure(description: "feedback request \(id) has an unknown status")
        }
        self.status = status
        answer = try row.decode(column: "answer", as: String?.self).flatMap(FeedbackAnswer.init(rawValue:))
        comment = try row.decode(column: "comment", as: String?.self)
        answeredAt = try row.decode(column: "answered_at", as: Int64?.self)
        outcome = try row.decode(column: "outcome", as: String?.self).flatMap(FeedbackOutcome.init(rawValue:))
        expiresAt = try row.decode(column: "expires_at", as: Int64.self)
    }

    func question(settings: ResidentSettings, _ db: any SQLDatabase) async throws -> FeedbackQuestion {
        guard let loaded = try await Store.loadSignalement(signalementId, db) else { throw DomainError.notFound("signalement not found") }
        let notice = try await NotificationOutbox.notice(loaded.signalement, settings: settings, db)
        return FeedbackQuestion(
            reference: notice.reference, category: notice.category, quartier: notice.quartier, status: status, answer: answer,
            comment: comment,
            effectiveAt: status == .provisional && answersOpened.count == 1
                ? answeredAt.map { $0 + Int64(settings.provisionalAnswerDelay * 1_000) } : nil,
            outcome: outcome)
    }
}
