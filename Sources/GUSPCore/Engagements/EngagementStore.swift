import Foundation
import GUSPDatabase
import SQLKit

extension Store {
    static let engagementTitleLength = 200
    static let engagementTextLength = 4_000
    static let engagementLinkLimit = 100

    /// A coordinator writes down an engagement made outside a walk, a meeting or an evaluation.
    public func createEngagement(_ new: NewEngagement, by actor: Actor) async throws -> Engagement {
        try Permissions.requireRole(actor, .createEngagement)
        let reference = try await referenceSnapshot()
        try Self.checkNewEngagement(new, reference: reference, today: today, field: "")
        let now = nowMilliseconds
        let today = self.today
        return try await database.write { db in
            try await Self.insertEngagement(new, source: .other, sourceId: nil, by: actor, at: now, reference: reference, today: today, db)
        }
    }

    /// Checks an engagement's terms against the reference data (fields named under `field`).
    static func checkNewEngagement(_ new: NewEngagement, reference: ReferenceSnapshot, today: String, field prefix: String) throws {
        var check = Validator()
        check.text(new.title, prefix + "title", maxLength: engagementTitleLength)
        check.text(new.description, prefix + "description", required: false, maxLength: engagementTextLength)
        if reference.territories[new.territoryId] == nil { check.fail(prefix + "territory_id", "is not a known territory") }
        checkPartners(lead: new.leadPartnerId, others: new.partnerIds, reference: reference, prefix: prefix, &check)
        checkDueDate(new.dueDate, today: today, field: prefix + "due_date", &check)
        if new.signalementIds.count > engagementLinkLimit {
            check.fail(prefix + "signalement_ids", "must list at most \(engagementLinkLimit) signalements")
        }
        try check.throwIfFailed()
    }

    static func checkPartners(lead: String?, others: [String]?, reference: ReferenceSnapshot, prefix: String, _ check: inout Validator) {
        if let lead, reference.partnerKinds[lead] == nil { check.fail(prefix + "lead_partner_id", "is not a known partner") }
        guard let others else { return }
        checkPartnerList(
            others, field: prefix + "partner_ids", lead: lead, leadName: "the lead partner", limit: engagementLinkLimit,
            reference: reference, &check)
    }

    static func checkDueDate(_ day: String, today: String, field: String, _ check: inout Validator) {
        if !LandParcel.isDay(day) {
            check.fail(field, "must be a date YYYY-MM-DD")
        } else if day < today {
            check.fail(field, "must not be in the past")
        }
    }

    /// Writes a new engagement in the caller's transaction: its row, links, schedule, event and outbox
    /// message. Used by every command that makes engagements (walks, meetings, evaluations).
    static func insertEngagement(
        _ new: NewEngagement, source: EngagementSource, sourceId: String?, by actor: Actor, at now: Int64, reference: ReferenceSnapshot,
        today: String, _ db: any SQLDatabase, field prefix: String = ""
    ) async throws -> Engagement {
        if !Permissions.allows(actor, .createEngagement, on: ResourceScope(territoryIds: [new.territoryId])) {
            throw DomainError.forbidden("engagements of this territory are for its coordinators")
        }
        try await checkLinks(
            signalementIds: new.signalementIds, actionSheetId: new.actionSheetId, territoryId: new.territoryId, by: actor,
            reference: reference, today: today, db, prefix: prefix)
        let id = Identifier.make("eng")
        let dueAt = Engagement.dueAt(new.dueDate)
        try await db.insert(into: "engagements")
            .columns(
                "id", "source", "source_id", "title", "description", "territory_id", "lead_partner_id", "due_date", "due_at", "status",
                "status_note", "action_sheet_id", "public", "escalation_level", "escalation_cycle", "next_escalation_at", "done_at",
                "version", "created_at", "updated_at"
            )
            .values(
                SQLBind(id), SQLBind(source.rawValue), SQLBind(sourceId), SQLBind(new.title.trimmingWhitespace),
                SQLBind(new.description?.trimmingWhitespace), SQLBind(new.territoryId), SQLBind(new.leadPartnerId), SQLBind(new.dueDate),
                SQLBind(dueAt), SQLBind(EngagementStatus.planned.rawValue), SQLBind(String?.none), SQLBind(new.actionSheetId),
                SQLBind(new.isPublic ? 1 : 0), SQLBind(0), SQLBind(0), SQLBind(dueAt), SQLBind(Int64?.none), SQLBind(1), SQLBind(now),
                SQLBind(now)
            ).run()
        try await replaceEngagementLinks(id, partnerIds: new.partnerIds, signalementIds: new.signalementIds, db)
        try await EventLog.append(
            db, .engagement, id, "created", actor: actor, to: EngagementStatus.planned.rawValue,
            note: sourceId.map { "from \(source.rawValue) \($0)" }, at: now)
        guard let engagement = try await loadEngagement(id, db)?.0 else { throw StorageFailure(description: "engagement \(id) vanished") }
        try await Outbox.append(
            [
                OutboxMessage(
                    .engagementCreated, .engagement, id, partners: [new.leadPartnerId] + new.partnerIds,
                    data: engagementData(engagement), at: now)
            ], db)
        return engagement
    }

    /// The linked signalements must exist and be the caller's to see; the fiche-action must exist.
    static func checkLinks(
        signalementIds: [String]?, actionSheetId: String??, territoryId: String, by actor: Actor, reference: ReferenceSnapshot,
        today: String, _ db: any SQLDatabase, prefix: String
    ) async throws {
        var check = Validator()
        if let ids = signalementIds, !ids.isEmpty {
            if Set(ids).count != ids.count { check.fail(prefix + "signalement_ids", "must not list a signalement twice") }
            var found: [String: (partner: String?, territory: String?)] = [:]
            for row in try await db.select().columns("id", "partner_id", "territory_id").from("signalements").where("id", .in, ids).all() {
                found[try row.decode(column: "id", as: String.self)] = (
                    try row.decode(column: "partner_id", as: String?.self), try row.decode(column: "territory_id", as: String?.self)
                )
            }
            for (index, id) in ids.enumerated() {
                guard let place = found[id],
                    SignalementAccess.mayRead(actor, partnerId: place.partner, territoryId: place.territory, reporterId: nil, filedBy: nil)
                else {
                    check.fail(prefix + "signalement_ids[\(index)]", "is not a signalement you can see")
                    continue
                }
            }
        }
        if case .some(.some(let sheet)) = actionSheetId,
            try await !linkableActionSheet(sheet, territoryId: territoryId, by: actor, reference: reference, today: today, db)
        {
            check.fail(prefix + "action_sheet_id", "is not a fiche-action of a convention you can read covering this territory")
        }
        try check.throwIfFailed()
    }

    /// A fiche-action may be linked when the caller reads its convention and the convention covers the
    /// engagement's territory (one of its territories is it or above it). One answer for "unknown" and
    /// "not yours", so that the link cannot probe for ids.
    static func linkableActionSheet(
        _ sheetId: String, territoryId: String, by actor: Actor, reference: ReferenceSnapshot, today: String, _ db: any SQLDatabase
    ) async throws -> Bool {
        guard let row = try await db.select().column("convention_id").from("action_sheets").where("id", .equal, sheetId).first() else {
            return false
        }
        let conventionId = try row.decode(column: "convention_id", as: String.self)
        let convention: Convention
        do {
            convention = try await visibleConvention(conventionId, actor, reference: reference, today: today, db).1
        } catch is DomainError {
            return false
        }
        let covered = reference.descendants(of: Set(convention.content.territoryIds)).union(convention.content.territoryIds)
        return covered.contains(territoryId)
    }

    static func replaceEngagementLinks(_ id: String, partnerIds: [String]?, signalementIds: [String]?, _ db: any SQLDatabase) async throws {
        if let partnerIds {
            try await db.delete(from: "engagement_partners").where("engagement_id", .equal, id).run()
            if !partnerIds.isEmpty {
                let insert = db.insert(into: "engagement_partners").columns("engagement_id", "partner_id")
                for partner in partnerIds { insert.values(SQLBind(id), SQLBind(partner)) }
                try await insert.run()
            }
        }
        if let signalementIds {
            try await db.delete(from: "engagement_signalements").where("engagement_id", .equal, id).run()
            if !signalementIds.isEmpty {
                let insert = db.insert(into: "engagement_signalements").columns("engagement_id", "signalement_id")
                for signalement in signalementIds { insert.values(SQLBind(id), SQLBind(signalement)) }
                try await insert.run()
            }
        }
    }

    static func engagementData(_ engagement: Engagement) -> [String: OutboxValue] {
        [
            "engagement_id": .text(engagement.id), "territory_id": .text(engagement.territoryId),
            "lead_partner_id": .text(engagement.leadPartnerId), "status": .text(engagement.status.rawValue),
            "due_date": .text(engagement.dueDate), "source": .text(engagement.source.rawValue), "source_id": .optional(engagement.sourceId),
        ]
    }
}
