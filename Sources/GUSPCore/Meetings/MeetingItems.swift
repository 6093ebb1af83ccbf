import Foundation
import GUSPDatabase
import SQLKit

extension Store {
    static let agendaItemColumns = [
        "id", "meeting_id", "position", "kind", "target_type", "target_id", "signalement_id", "title", "detail", "confidential",
        "carried_from", "created_at",
    ]

    static func agendaItem(_ row: any SQLRow) throws -> AgendaItem {
        AgendaItem(
            id: try row.decode(column: "id", as: String.self), meetingId: try row.decode(column: "meeting_id", as: String.self),
            position: try row.decode(column: "position", as: Int.self),
            kind: AgendaItemKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .manual,
            targetType: (try row.decode(column: "target_type", as: String?.self)).flatMap(AgendaTargetType.init(rawValue:)),
            targetId: try row.decode(column: "target_id", as: String?.self),
            signalementId: try row.decode(column: "signalement_id", as: String?.self), title: try row.decode(column: "title", as: String.self),
            detail: try row.decode(column: "detail", as: String?.self), isConfidential: try row.decode(column: "confidential", as: Int.self) != 0,
            carriedFrom: try row.decode(column: "carried_from", as: String?.self), createdAt: try row.decode(column: "created_at", as: Int64.self))
    }

    static func loadAgenda(_ meetingId: String, _ db: any SQLDatabase) async throws -> [AgendaItem] {
        try await db.select().columns(agendaItemColumns).from("meeting_items").where("meeting_id", .equal, meetingId)
            .orderBy("position").orderBy("id").all().map(agendaItem)
    }

    /// Appends items after the last one; an item whose target is already on the agenda is skipped.
    /// Returns those written.
    static func appendItems(_ items: [AgendaItem], to meetingId: String, _ db: any SQLDatabase) async throws -> [AgendaItem] {
        var position =
            try await db.select().column(SQLFunction("MAX", args: SQLColumn("position")), as: "p").from("meeting_items")
            .where("meeting_id", .equal, meetingId).first()?.decode(column: "p", as: Int?.self) ?? -1
        var written: [AgendaItem] = []
        for var item in items {
            position += 1
            item.position = position
            let inserted = try await db.insert(into: "meeting_items").columns(agendaItemColumns)
                .values(
                    SQLBind(item.id), SQLBind(meetingId), SQLBind(item.position), SQLBind(item.kind.rawValue), SQLBind(item.targetType?.rawValue),
                    SQLBind(item.targetId), SQLBind(item.signalementId), SQLBind(item.title), SQLBind(item.detail),
                    SQLBind(item.isConfidential ? 1 : 0), SQLBind(item.carriedFrom), SQLBind(item.createdAt)
                )
                .ignoringConflicts().returning("id").all()
            if inserted.isEmpty { position -= 1 } else { written.append(item) }
        }
        return written
    }

    /// The items `actor` may see: the coordination and elected officials of the meeting's territories
    /// every one; a partner's staff and systems the items whose signalement or engagement they may read,
    /// and the confidential ones only when their partner was present; residents none.
    static func visibleItems(_ items: [AgendaItem], of meeting: Meeting, for actor: Actor, _ db: any SQLDatabase) async throws -> [AgendaItem] {
        if isMeetingOfficial(actor, meeting) { return items }
        guard actor.role != .resident, let partner = actor.partnerId else { return [] }
        let present = meeting.presentPartnerIds.contains(partner)
        let signalements = Array(Set(items.compactMap(\.signalementId)))
        var readable = Set<String>()
        if !signalements.isEmpty {
            for row in try await db.select().column("id").from("signalements").where("id", .in, signalements)
                .where("partner_id", .equal, partner).all()
            {
                readable.insert(try row.decode(column: "id", as: String.self))
            }
        }
        let engagements = items.filter { $0.targetType == .engagement }.compactMap(\.targetId)
        if !engagements.isEmpty {
            let shared = SharedPartners(
                table: "engagements", partnerColumn: "lead_partner_id", linkTable: "engagement_partners", linkKey: "engagement_id")
            for row in try await db.select().column("id").from("engagements").where("id", .in, engagements).where(shared.involving(partner)).all() {
                readable.insert(try row.decode(column: "id", as: String.self))
            }
        }
        return items.filter { item in
            if item.isConfidential, !present { return false }
            if let signalement = item.signalementId, !readable.contains(signalement) { return false }
            if item.targetType == .engagement, let id = item.targetId, !readable.contains(id) { return false }
            return true
        }
    }

    /// Admins, and the coordinators and elected officials of the meeting's territories.
    static func isMeetingOfficial(_ actor: Actor, _ meeting: Meeting) -> Bool {
        [.admin, .coordinator, .elected].contains(actor.role)
            && Permissions.allows(actor, .readMeeting, on: ResourceScope(territoryIds: Set(meeting.territoryIds)))
    }

    /// The agenda as the caller may see it (residents: none), in order.
    public func agenda(_ meetingId: String, by actor: Actor) async throws -> [AgendaItem] {
        try Permissions.requireRole(actor, .readMeeting)
        return try await database.read { db in
            let meeting = try await Self.visibleMeeting(meetingId, actor, db)
            return try await Self.visibleItems(try await Self.loadAgenda(meetingId, db), of: meeting, for: actor, db)
        }
    }

    public func agendaItem(_ meetingId: String, _ itemId: String, by actor: Actor) async throws -> AgendaItem {
        guard let item = try await agenda(meetingId, by: actor).first(where: { $0.id == itemId }) else {
            throw DomainError.notFound("agenda item not found")
        }
        return item
    }

    /// An item added by hand, at the end of the agenda.
    public func addAgendaItem(_ meetingId: String, _ new: NewAgendaItem, by actor: Actor) async throws -> AgendaItem {
        try Permissions.requireRole(actor, .writeMeeting)
        var check = Validator()
        check.text(new.title, "title", maxLength: 300)
        check.text(new.detail, "detail", required: false, maxLength: 4_000)
        try check.throwIfFailed()
        let now = nowMilliseconds
        let reference = try await referenceSnapshot()
        return try await database.write { db in
            let meeting = try await Self.requireMeetingWriter(meetingId, actor, db)
            guard meeting.status == .planned || meeting.status == .held else {
                throw DomainError.conflict("the agenda of a meeting that is \(meeting.status.rawValue) is closed")
            }
            var confidential = new.isConfidential
            if let signalement = new.signalementId {
                // Only a signalement of the meeting's territories (or below); unknown and foreign answer alike.
                let territories = reference.descendants(of: Set(meeting.territoryIds)).union(meeting.territoryIds)
                guard
                    let row = try await db.select().columns("territory_id", "category_id").from("signalements").where("id", .equal, signalement)
                        .first(),
                    let territory = try row.decode(column: "territory_id", as: String?.self), territories.contains(territory)
                else {
                    throw ValidationFailure(field: "signalement_id", message: "is not a signalement of the meeting's territories")
                }
                let category = try row.decode(column: "category_id", as: String.self)
                if reference.isTranquillite(category) { confidential = true }
            }
            let item = AgendaItem(
                id: Identifier.make("itm"), meetingId: meetingId, position: 0, kind: .manual, targetType: nil, targetId: nil,
                signalementId: new.signalementId, title: new.title.trimmingWhitespace, detail: new.detail?.trimmingWhitespace,
                isConfidential: confidential, carriedFrom: nil, createdAt: now)
            let written = try await Self.appendItems([item], to: meetingId, db)
            try await Self.touchMeeting(meetingId, at: now, db)
            try await EventLog.append(db, .meeting, meetingId, "item_added", actor: actor, changes: ["agenda"], note: item.id, at: now)
            return written[0]
        }
    }

    /// Puts the agenda in the given order: every item once.
    public func reorderAgenda(_ meetingId: String, itemIds: [String], by actor: Actor) async throws -> [AgendaItem] {
        try Permissions.requireRole(actor, .writeMeeting)
        let now = nowMilliseconds
        return try await database.write { db in
            let meeting = try await Self.requireMeetingWriter(meetingId, actor, db)
            guard meeting.status == .planned || meeting.status == .held else {
                throw DomainError.conflict("the agenda of a meeting that is \(meeting.status.rawValue) is closed")
            }
            let items = try await Self.loadAgenda(meetingId, db)
            guard Set(itemIds) == Set(items.map(\.id)), itemIds.count == items.count else {
                throw ValidationFailure(field: "item_ids", message: "must list every item of the agenda once (\(items.count) items)")
            }
            for (position, id) in itemIds.enumerated() {
                try await db.update("meeting_items").set("position", to: position).where("id", .equal, id).run()
            }
            try await Self.touchMeeting(meetingId, at: now, db)
            try await EventLog.append(db, .meeting, meetingId, "agenda_reordered", actor: actor, changes: ["agenda"], at: now)
            return try await Self.loadAgenda(meetingId, db)
        }
    }

    /// A next meeting starts with what the previous one left open: its items without a decision whose
    /// target is still open, and the engagements it decided that are still open, each only when it lies
    /// in the new meeting's territories (or below).
    static func carryForward(
        from previous: Meeting, to meeting: Meeting, reference: ReferenceSnapshot, at now: Int64, today: String, _ db: any SQLDatabase
    ) async throws {
        let territories = reference.descendants(of: Set(meeting.territoryIds)).union(meeting.territoryIds)
        let items = try await loadAgenda(previous.id, db)
        let decided = Set(
            try await db.select().column("item_id").from("meeting_decisions").where("meeting_id", .equal, previous.id).all()
                .map { try $0.decode(column: "item_id", as: String.self) })
        let undecided = items.filter { !decided.contains($0.id) }
        // What each target is now: a signalement open in the territories, an escalation not yet
        // acknowledged, an engagement open, a fiche-action neither done nor abandoned.
        var open = Set<String>()
        let signalements = Array(Set(undecided.compactMap(\.signalementId)))
        if !signalements.isEmpty {
            for row in try await db.select().columns("id", "territory_id").from("signalements").where("id", .in, signalements)
                .where("status", .in, SignalementStatus.open.map(\.rawValue)).all()
            {
                if let territory = try row.decode(column: "territory_id", as: String?.self), territories.contains(territory) {
                    open.insert(try row.decode(column: "id", as: String.self))
                }
            }
        }
        let escalations = undecided.filter { $0.targetType == .escalation }.compactMap(\.targetId)
        var reviewed = Set<String>()
        if !escalations.isEmpty {
            for row in try await db.select().column("id").from("escalations").where("id", .in, escalations)
                .where("acknowledged_at", .isNot, SQLLiteral.null).all()
            {
                reviewed.insert(try row.decode(column: "id", as: String.self))
            }
        }
        let openEngagements = [EngagementStatus.planned.rawValue, EngagementStatus.inProgress.rawValue]
        var liveEngagements = Set<String>()
        let engagementTargets = undecided.filter { $0.targetType == .engagement }.compactMap(\.targetId)
        if !engagementTargets.isEmpty {
            for row in try await db.select().columns("id", "territory_id").from("engagements").where("id", .in, engagementTargets)
                .where("status", .in, openEngagements).all()
            where territories.contains(try row.decode(column: "territory_id", as: String.self)) {
                liveEngagements.insert(try row.decode(column: "id", as: String.self))
            }
        }
        var carried: [AgendaItem] = undecided.filter { item in
            if item.targetType == .escalation, let id = item.targetId, reviewed.contains(id) { return false }
            if item.targetType == .engagement { return item.targetId.map(liveEngagements.contains) ?? false }
            if item.targetType == .actionSheet { return false }  // generation proposes the late ones again, in these territories
            if let signalement = item.signalementId { return open.contains(signalement) }
            return item.kind == .manual
        }.map { item in
            var copy = item
            copy.id = Identifier.make("itm")
            copy.meetingId = meeting.id
            copy.carriedFrom = item.carriedFrom ?? item.id
            copy.createdAt = now
            return copy
        }
        let engagements = try await db.select().columns("id", "title", "due_date", "territory_id").from("engagements")
            .where("source", .equal, EngagementSource.meeting.rawValue).where("source_id", .equal, previous.id)
            .where("status", .in, openEngagements).orderBy("due_at").all()
        for row in engagements where territories.contains(try row.decode(column: "territory_id", as: String.self)) {
            let id = try row.decode(column: "id", as: String.self)
            let dueDate = try row.decode(column: "due_date", as: String.self)
            carried.append(
                AgendaItem(
                    id: Identifier.make("itm"), meetingId: meeting.id, position: 0, kind: .engagement, targetType: .engagement, targetId: id,
                    signalementId: nil, title: "Engagement à suivre : \(try row.decode(column: "title", as: String.self))",
                    detail: "Décidé à la réunion précédente, échéance le \(FrenchDates.day(ofText: dueDate))\(dueDate < today ? " (dépassée)" : "").",
                    isConfidential: false, carriedFrom: nil, createdAt: now))
        }
        _ = try await appendItems(carried, to: meeting.id, db)
    }

    static func touchMeeting(_ id: String, at now: Int64, _ db: any SQLDatabase) async throws {
        try await db.update("meetings").set("updated_at", to: now).where("id", .equal, id).run()
    }
}
