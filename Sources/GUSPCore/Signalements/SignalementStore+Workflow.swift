import Foundation
import SQLKit

extension Store {
    /// Moves a signalement along `SignalementWorkflow` (acknowledge, start, resolve, close, reopen,
    /// reject, hand back to arbitration). Assignment and duplicates have their own commands.
    public func transitionSignalement(
        _ id: String, to target: SignalementStatus, note: String?, ifVersion: Int?,
        by actor: Actor
    ) async throws -> Signalement {
        let note = try Self.checkedNote(note)
        let now = nowMilliseconds
        let reopenWindow = settings.reopenWindow
        let policy = settings.escalation
        let residents = settings.residents
        let moved = try await database.write { db in
            let loaded = try await Self.visibleSignalement(id, actor, db, forUpdate: true)
            var signalement = loaded.signalement
            let parties = SignalementAccess.parties(actor, signalement)
            let rule = try SignalementWorkflow.check(signalement, to: target, parties: parties)
            if let expected = ifVersion, expected != signalement.version { throw DomainError.versionMismatch(current: signalement.version) }
            if rule.needsNote, note == nil {
                throw ValidationFailure(field: "note", message: "is required to move a signalement to \(target.rawValue)")
            }
            if target == .reopened, parties == [.reporter],
                !SignalementWorkflow.reporterMayReopen(signalement, window: reopenWindow, now: now)
            {
                throw DomainError.conflict("the reopening window (\(Int(reopenWindow / 86_400)) days after resolution) has passed")
            }
            let from = signalement.status
            signalement.status = target
            switch target {
            case .resolved: signalement.resolvedAt = now
            case .closed: signalement.closedAt = now
            case .reopened: signalement.resolvedAt = nil
            case .needsArbitration: signalement.partnerId = nil
            default: break
            }
            try await Self.saveState(&signalement, from: loaded.signalement, policy: policy, at: now, db)
            try await EventLog.append(
                db, .signalement, id, "status_changed", actor: actor, from: from.rawValue, to: target.rawValue,
                note: note, at: now)
            // A hand-back to arbitration concerns the partner that had it.
            var message = Outbox.statusChanged(signalement, from: from, at: now)
            if let previous = loaded.signalement.partnerId, !message.partnerIds.contains(previous) { message.partnerIds.append(previous) }
            try await Outbox.append([message], db)
            let news: [SignalementStatus: NotificationKind] = [.acknowledged: .acknowledged, .resolved: .resolved, .rejected: .rejected]
            if let kind = news[target] {
                // Only a rejection's reason is told: another note may be meant for the partners.
                try await NotificationOutbox.signalementNews(
                    kind, signalement, note: kind == .rejected ? note : nil, settings: residents, at: now, db)
            }
            return signalement.redacted(for: actor, filedBy: loaded.filedBy)
        }
        recent.record(moved, window: settings.duplicateWindow, now: now)
        return moved
    }

    /// A coordinator gives a signalement to a partner (arbitration, transfer, after a reopening);
    /// the due date is recomputed for that partner.
    public func assignSignalement(_ id: String, to partnerId: String, note: String?, ifVersion: Int?, by actor: Actor) async throws -> Signalement {
        let note = try Self.checkedNote(note)
        let now = nowMilliseconds
        let reference = try await referenceSnapshot()
        let policy = settings.escalation
        let residents = settings.residents
        let moved = try await database.write { db in
            let (signalement, filedBy) = try await Self.assign(
                id, to: partnerId, note: note, keepDueDate: false, ifVersion: ifVersion, by: actor, reference: reference, policy: policy,
                residents: residents, at: now, db)
            return signalement.redacted(for: actor, filedBy: filedBy)
        }
        recent.record(moved, window: settings.duplicateWindow, now: now)
        return moved
    }

    /// Gives a signalement to a partner inside the caller's transaction: the workflow's checks, the
    /// partner working there, the due date from the commitments (kept as it is with `keepDueDate`, as
    /// when a meeting settles an arbitration), the state, event and outbox message.
    static func assign(
        _ id: String, to partnerId: String, note: String?, keepDueDate: Bool, ifVersion: Int?, by actor: Actor, reference: ReferenceSnapshot,
        policy: EscalationPolicy, residents: ResidentSettings, at now: Int64, _ db: any SQLDatabase
    ) async throws -> (Signalement, filedBy: String?) {
        let loaded = try await Self.visibleSignalement(id, actor, db, forUpdate: true)
        var signalement = loaded.signalement
        _ = try SignalementWorkflow.check(
            signalement, to: .assigned, parties: SignalementAccess.parties(actor, signalement),
            via: SignalementWorkflow.transition(to: .assigned)?.endpoint)
        if let expected = ifVersion, expected != signalement.version { throw DomainError.versionMismatch(current: signalement.version) }
        guard let partner = try await Self.loadPartner(partnerId, db) else {
            throw ValidationFailure(field: "partner_id", message: "is not a known partner")
        }
        // Only a partner working in the signalement's territory (or a territory above it) may get it.
        if let territory = signalement.territoryId {
            let chain = Set(reference.territoryChain(territory))
            if chain.isDisjoint(with: partner.territoryIds) {
                throw ValidationFailure(field: "partner_id", message: "does not work in this signalement's territory")
            }
        }
        let from = signalement.status
        signalement.status = .assigned
        signalement.partnerId = partnerId
        if !keepDueDate || signalement.dueAt == nil {
            signalement.dueAt = ServiceCommitments.dueDate(
                reference.categoryChain(signalement.categoryId), territoryId: signalement.territoryId,
                partnerId: partnerId, filedAt: signalement.createdAt, now: now,
                reference: reference)
        }
        try await Self.saveState(&signalement, from: loaded.signalement, policy: policy, at: now, db)
        try await EventLog.append(
            db, .signalement, id, "assigned", actor: actor, changes: ["partner_id", "due_at"],
            from: from.rawValue, to: SignalementStatus.assigned.rawValue, note: note, at: now)
        try await Outbox.append(
            [
                OutboxMessage(
                    .signalementAssigned, .signalement, id, partners: [partnerId, loaded.signalement.partnerId],
                    data: [
                        "signalement_id": .text(id), "partner_id": .text(partnerId),
                        "previous_partner_id": .optional(loaded.signalement.partnerId),
                        "from": .text(from.rawValue), "due_at": .time(signalement.dueAt), "territory_id": .optional(signalement.territoryId),
                    ], at: now)
            ], db)
        try await NotificationOutbox.signalementNews(.assigned, signalement, settings: residents, at: now, db)
        return (signalement, loaded.filedBy)
    }

    /// Marks a signalement as a duplicate of an open one: its confirmations, its reporter and its
    /// followers move to the original, whose count grows accordingly.
    public func markDuplicate(_ id: String, of originalId: String, note: String?, by actor: Actor) async throws -> Signalement {
        let note = try Self.checkedNote(note)
        if id == originalId { throw ValidationFailure(field: "original_id", message: "a signalement cannot duplicate itself") }
        let now = nowMilliseconds
        let policy = settings.escalation
        let residents = settings.residents
        let moved = try await database.write { db in
            let loaded = try await Self.visibleSignalement(id, actor, db, forUpdate: true)
            var signalement = loaded.signalement
            _ = try SignalementWorkflow.check(
                signalement, to: .duplicate, parties: SignalementAccess.parties(actor, signalement),
                via: SignalementWorkflow.transition(to: .duplicate)?.endpoint)
            guard let original = try await Self.loadSignalement(originalId, db, forUpdate: true),
                SignalementAccess.mayRead(actor, original.signalement, filedBy: original.filedBy)
            else {
                throw ValidationFailure(field: "original_id", message: "is not a signalement you can see")
            }
            // Merging changes the original too: the caller must be among its staff.
            if SignalementAccess.parties(actor, original.signalement).subtracting([.reporter]).isEmpty {
                throw DomainError.forbidden("only the original's partner, coordinators and admins merge into it")
            }
            guard original.signalement.status.isOpen, original.signalement.duplicateOf == nil else {
                throw DomainError.conflict("the original must be open (it is \(original.signalement.status.rawValue))")
            }
            // Confirmations of the duplicate, and its reporter, become confirmations of the original.
            try await db.raw(
                """
                INSERT INTO signalement_confirmations (signalement_id, user_id, created_at)
                SELECT \(bind: originalId), user_id, created_at FROM signalement_confirmations WHERE signalement_id = \(bind: id)
                ON CONFLICT DO NOTHING
                """
            ).run()
            if let reporter = signalement.reporterId, reporter != original.signalement.reporterId {
                try await db.raw(
                    """
                    INSERT INTO signalement_confirmations (signalement_id, user_id, created_at)
                    VALUES (\(bind: originalId), \(bind: reporter), \(bind: now)) ON CONFLICT DO NOTHING
                    """
                ).run()
            }
            if let originalReporter = original.signalement.reporterId {
                try await db.delete(from: "signalement_confirmations").where("signalement_id", .equal, originalId)
                    .where("user_id", .equal, originalReporter).run()
            }
            try await db.raw(
                """
                INSERT INTO signalement_followers (signalement_id, user_id, created_at)
                SELECT \(bind: originalId), user_id, created_at FROM signalement_followers WHERE signalement_id = \(bind: id)
                ON CONFLICT DO NOTHING
                """
            ).run()
            var merged = original.signalement
            merged.confirmationsCount = try await Self.confirmationCount(originalId, db)
            try await Self.saveState(&merged, from: original.signalement, policy: policy, at: now, db)
            try await EventLog.append(
                db, .signalement, originalId, "duplicates_merged", actor: actor,
                changes: ["confirmations_count", "followers"], note: "merged from \(id)", at: now)
            let from = signalement.status
            signalement.status = .duplicate
            signalement.duplicateOf = originalId
            try await Self.saveState(&signalement, from: loaded.signalement, policy: policy, at: now, db)
            try await EventLog.append(
                db, .signalement, id, "status_changed", actor: actor, changes: ["duplicate_of"],
                from: from.rawValue, to: SignalementStatus.duplicate.rawValue, note: note, at: now)
            try await Outbox.append([Outbox.statusChanged(signalement, from: from, at: now, cause: "duplicate of \(originalId)")], db)
            try await NotificationOutbox.signalementNews(.merged, signalement, note: note, original: merged, settings: residents, at: now, db)
            return signalement.redacted(for: actor, filedBy: loaded.filedBy)
        }
        recent.record(moved, window: settings.duplicateWindow, now: now)
        return moved
    }

    /// Corrections by staff: category (due date recomputed), priority, description.
    public func updateSignalement(_ id: String, _ changes: SignalementChanges, ifVersion: Int?, by actor: Actor) async throws -> Signalement {
        try Permissions.requireRole(actor, .updateSignalement)
        var check = Validator()
        if let description = changes.description { SignalementRules.checkDescription(description, into: &check) }
        try check.throwIfFailed()
        let now = nowMilliseconds
        let reference = try await referenceSnapshot()
        let policy = settings.escalation
        let moved = try await database.write { db in
            let loaded = try await Self.visibleSignalement(id, actor, db, forUpdate: true)
            var signalement = loaded.signalement
            if !Permissions.allows(actor, .updateSignalement, on: SignalementAccess.scope(signalement)),
                !SignalementAccess.coordinates(actor, signalement)
            {
                throw DomainError.forbidden("only the assigned partner, coordinators and admins correct a signalement")
            }
            if let expected = ifVersion, expected != signalement.version { throw DomainError.versionMismatch(current: signalement.version) }
            if let category = changes.categoryId, category != signalement.categoryId {
                guard try await Self.loadCategory(category, db) != nil else {
                    throw ValidationFailure(field: "category_id", message: "is not a known category")
                }
                signalement.categoryId = category
                signalement.dueAt = ServiceCommitments.dueDate(
                    reference.categoryChain(category), territoryId: signalement.territoryId,
                    partnerId: signalement.partnerId, filedAt: signalement.createdAt,
                    now: now, reference: reference)
            }
            if let priority = changes.priority { signalement.priority = priority }
            if let description = changes.description { signalement.description = description.trimmingWhitespace }
            try await Self.saveState(&signalement, from: loaded.signalement, policy: policy, at: now, db)
            try await EventLog.append(db, .signalement, id, "updated", actor: actor, changes: changes.changedFields, at: now)
            return signalement.redacted(for: actor, filedBy: loaded.filedBy)
        }
        recent.record(moved, window: settings.duplicateWindow, now: now)
        return moved
    }

    /// Writes the mutable fields of a signalement, bumping its version, and re-arms its escalation
    /// schedule from what changed since `previous` (see `EscalationSchedule.arm`).
    static func saveState(
        _ signalement: inout Signalement, from previous: Signalement, policy: EscalationPolicy, at now: Int64,
        rollups: IndicatorChanges? = nil, _ db: any SQLDatabase
    ) async throws {
        signalement.version += 1
        signalement.updatedAt = now
        signalement.escalation = EscalationSchedule.arm(
            signalement, previous: previous.status, previousDueAt: previous.dueAt,
            state: previous.escalation, now: now, policy: policy)
        if signalement.status == .reopened { signalement.history.reopened = true }
        if signalement.status == .needsArbitration { signalement.history.arbitrated = true }
        let recategorised = signalement.categoryId != previous.categoryId
        if recategorised {
            signalement.history.recurring = try await Recurrence.recurs(
                categoryId: signalement.categoryId, location: signalement.location, filedAt: signalement.createdAt, excluding: signalement.id, db)
        }
        try await db.update("signalements")
            .set("status", to: signalement.status.rawValue).set("partner_id", to: signalement.partnerId)
            .set("category_id", to: signalement.categoryId).set("priority", to: signalement.priority.rawValue)
            .set("description", to: signalement.description).set("due_at", to: signalement.dueAt)
            .set("duplicate_of", to: signalement.duplicateOf).set("confirmations_count", to: signalement.confirmationsCount)
            .set("resolved_at", to: signalement.resolvedAt).set("closed_at", to: signalement.closedAt)
            .set("version", to: signalement.version).set("updated_at", to: now)
            .set("escalation_level", to: signalement.escalation.level).set("escalation_cycle", to: signalement.escalation.cycle)
            .set("escalation_due_at", to: signalement.escalation.dueAt).set("next_escalation_at", to: signalement.escalation.nextAt)
            .set("reopened", to: signalement.history.reopened ? 1 : 0).set("arbitrated", to: signalement.history.arbitrated ? 1 : 0)
            .set("recurring", to: signalement.history.recurring ? 1 : 0)
            .where("id", .equal, signalement.id).run()
        let changes = rollups ?? IndicatorChanges()
        try await IndicatorRollups.record(signalement, from: previous, into: changes, db)
        if recategorised {
            changes.merge(try await Recurrence.reconsiderNeighbours(of: signalement, previousCategory: previous.categoryId, db))
        }
        if rollups == nil { try await changes.write(db) }
    }

    static func checkedNote(_ note: String?) throws(ValidationFailure) -> String? {
        guard let note else { return nil }
        var check = Validator()
        check.text(note, "note", maxLength: 2_000)
        try check.throwIfFailed()
        return note.trimmingWhitespace
    }

    static func confirmationCount(_ id: String, _ db: any SQLDatabase) async throws -> Int {
        try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("signalement_confirmations")
            .where("signalement_id", .equal, id).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
