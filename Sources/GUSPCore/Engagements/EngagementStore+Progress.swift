import Foundation
import SQLKit

extension Store {
    /// Changes an engagement. The coordination changes its terms; the lead partner's staff report its
    /// status (`dropped` needs a note saying why).
    public func updateEngagement(_ id: String, _ changes: EngagementChanges, ifVersion: Int?, by actor: Actor) async throws -> Engagement {
        try Permissions.requireRole(actor, .reportEngagement)
        if changes.touchesTerms { try Permissions.requireRole(actor, .updateEngagement) }
        let reference = try await referenceSnapshot()
        let today = self.today
        var check = Validator()
        if changes.isEmpty { check.fail("body", "must change at least one field") }
        if let title = changes.title { check.text(title, "title", maxLength: Self.engagementTitleLength) }
        if case .some(.some(let description)) = changes.description {
            check.text(description, "description", maxLength: Self.engagementTextLength)
        }
        if let note = changes.statusNote { check.text(note, "status_note", maxLength: Self.engagementTextLength) }
        if changes.status == .dropped, changes.statusNote == nil { check.fail("status_note", "is required to drop an engagement") }
        if changes.statusNote != nil, changes.status == nil { check.fail("status_note", "goes with a change of status") }
        if let day = changes.dueDate { Self.checkDueDate(day, today: today, field: "due_date", &check) }
        if let ids = changes.signalementIds, ids.count > Self.engagementLinkLimit {
            check.fail("signalement_ids", "must list at most \(Self.engagementLinkLimit) signalements")
        }
        try check.throwIfFailed()
        let now = nowMilliseconds
        let policy = settings.escalation
        return try await database.write { db in
            var (engagement, cycle) = try await Self.visibleEngagement(id, actor, db, forUpdate: true)
            if changes.touchesTerms {
                if !Permissions.allows(actor, .updateEngagement, on: engagement.scope) {
                    throw DomainError.forbidden("the terms of this engagement are its territory's coordinators'")
                }
            } else if !Permissions.allows(actor, .reportEngagement, on: engagement.reportScope) {
                throw DomainError.forbidden("the status of this engagement is reported by its lead partner and the coordination")
            }
            if let expected = ifVersion, expected != engagement.version { throw DomainError.versionMismatch(current: engagement.version) }
            if changes.touchesTerms, engagement.status == .dropped {
                throw DomainError.conflict("the engagement was dropped: its terms no longer change")
            }
            var check = Validator()
            let lead = changes.leadPartnerId ?? engagement.leadPartnerId
            if let newLead = changes.leadPartnerId, reference.partnerKinds[newLead] == nil {
                check.fail("lead_partner_id", "is not a known partner")
            }
            if let others = changes.partnerIds {
                Self.checkPartners(lead: lead, others: others, reference: reference, prefix: "", &check)
            } else if changes.leadPartnerId != nil, engagement.partnerIds.contains(lead) {
                check.fail("lead_partner_id", "is one of the other partners: send partner_ids without it")
            }
            try check.throwIfFailed()
            try await Self.checkLinks(
                signalementIds: changes.signalementIds, actionSheetId: changes.actionSheetId, territoryId: engagement.territoryId,
                by: actor, reference: reference, today: today, db, prefix: "")
            var fields: [String] = []
            func set<Value: Equatable>(_ path: WritableKeyPath<Engagement, Value>, _ value: Value?, _ name: String) {
                guard let value, engagement[keyPath: path] != value else { return }
                engagement[keyPath: path] = value
                fields.append(name)
            }
            set(\.title, changes.title?.trimmingWhitespace, "title")
            set(\.description, changes.description.map { $0?.trimmingWhitespace }, "description")
            set(\.leadPartnerId, changes.leadPartnerId, "lead_partner_id")
            set(\.partnerIds, changes.partnerIds?.sorted(), "partner_ids")
            set(\.signalementIds, changes.signalementIds?.sorted(), "signalement_ids")
            set(\.actionSheetId, changes.actionSheetId, "action_sheet_id")
            set(\.isPublic, changes.isPublic, "public")
            let previousStatus = engagement.status
            var nextEscalation: Int64?? = nil
            if let due = changes.dueDate, due != engagement.dueDate {
                engagement.dueDate = due
                fields.append("due_date")
                if engagement.escalationLevel > 0 {
                    cycle += 1
                    engagement.escalationLevel = 0
                }
                nextEscalation = .some(Engagement.dueAt(due))
            }
            if let status = changes.status, status != engagement.status {
                guard engagement.status.next.contains(status) else {
                    throw DomainError.conflict("an engagement that is \(engagement.status.rawValue) cannot become \(status.rawValue)")
                }
                engagement.status = status
                engagement.statusNote = changes.statusNote?.trimmingWhitespace
                engagement.doneAt = status == .done ? now : nil
                fields.append("status")
            } else if changes.status != nil, changes.statusNote != nil {
                throw DomainError.conflict("the engagement is already \(engagement.status.rawValue)")
            }
            if !engagement.status.isOpen {
                nextEscalation = .some(nil)
            } else if previousStatus != engagement.status || nextEscalation != nil {
                nextEscalation = .some(
                    EngagementSchedule.nextLevelTime(
                        after: engagement.escalationLevel, dueAt: Engagement.dueAt(engagement.dueDate), createdAt: engagement.createdAt,
                        policy: policy))
            }
            guard !fields.isEmpty else { return engagement }
            engagement.version += 1
            engagement.updatedAt = now
            let update = db.update("engagements")
                .set("title", to: engagement.title).set("description", to: engagement.description)
                .set("lead_partner_id", to: engagement.leadPartnerId).set("due_date", to: engagement.dueDate)
                .set("due_at", to: Engagement.dueAt(engagement.dueDate)).set("status", to: engagement.status.rawValue)
                .set("status_note", to: engagement.statusNote).set("action_sheet_id", to: engagement.actionSheetId)
                .set("public", to: engagement.isPublic ? 1 : 0).set("escalation_level", to: engagement.escalationLevel)
                .set("escalation_cycle", to: cycle).set("done_at", to: engagement.doneAt)
                .set("version", to: engagement.version).set("updated_at", to: now)
            if let nextEscalation { update.set("next_escalation_at", to: nextEscalation) }
            try await update.where("id", .equal, id).run()
            try await Self.replaceEngagementLinks(
                id, partnerIds: fields.contains("partner_ids") ? engagement.partnerIds : nil,
                signalementIds: fields.contains("signalement_ids") ? engagement.signalementIds : nil, db)
            let terms = fields.filter { $0 != "status" }
            var messages: [OutboxMessage] = []
            let partners = [engagement.leadPartnerId] + engagement.partnerIds
            if !terms.isEmpty {
                try await EventLog.append(db, .engagement, id, "updated", actor: actor, changes: terms, at: now)
                var data = Self.engagementData(engagement)
                data["fields"] = .text(terms.joined(separator: ","))
                messages.append(OutboxMessage(.engagementUpdated, .engagement, id, partners: partners, data: data, at: now))
            }
            if previousStatus != engagement.status {
                try await EventLog.append(
                    db, .engagement, id, "status_changed", actor: actor, changes: ["status"], from: previousStatus.rawValue,
                    to: engagement.status.rawValue, note: engagement.statusNote, at: now)
                var data = Self.engagementData(engagement)
                data["from"] = .text(previousStatus.rawValue)
                messages.append(OutboxMessage(.engagementStatusChanged, .engagement, id, partners: partners, data: data, at: now))
            }
            try await Outbox.append(messages, db)
            return try await Self.loadEngagement(id, db)!.0
        }
    }

    /// A dated note on where an engagement stands, by its lead partner's staff or the coordination.
    public func addEngagementUpdate(_ id: String, day: String, note: String, by actor: Actor) async throws -> Engagement {
        try Permissions.requireRole(actor, .reportEngagement)
        let today = self.today
        var check = Validator()
        if !LandParcel.isDay(day) {
            check.fail("date", "must be a date YYYY-MM-DD")
        } else if day > today {
            check.fail("date", "must not be after today")
        }
        check.text(note, "note", maxLength: Self.engagementTextLength)
        try check.throwIfFailed()
        let now = nowMilliseconds
        return try await database.write { db in
            var (engagement, _) = try await Self.visibleEngagement(id, actor, db, forUpdate: true)
            if !Permissions.allows(actor, .reportEngagement, on: engagement.reportScope) {
                throw DomainError.forbidden("updates on this engagement come from its lead partner and the coordination")
            }
            if engagement.status == .dropped { throw DomainError.conflict("the engagement was dropped") }
            try await db.insert(into: "engagement_updates").columns("id", "engagement_id", "day", "note", "author_id", "created_at")
                .values(
                    SQLBind(Identifier.make("eup")), SQLBind(id), SQLBind(day), SQLBind(note.trimmingWhitespace), SQLBind(actor.id),
                    SQLBind(now)
                ).run()
            engagement.version += 1
            try await db.update("engagements").set("version", to: engagement.version).set("updated_at", to: now)
                .where("id", .equal, id).run()
            try await EventLog.append(db, .engagement, id, "update_added", actor: actor, changes: ["updates"], at: now)
            var data = Self.engagementData(engagement)
            data["fields"] = .text("updates")
            try await Outbox.append(
                [
                    OutboxMessage(
                        .engagementUpdated, .engagement, id, partners: [engagement.leadPartnerId] + engagement.partnerIds, data: data, at: now)
                ], db)
            return try await Self.loadEngagement(id, db)!.0
        }
    }
}
