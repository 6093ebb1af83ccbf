import Foundation
import GUSPDatabase
import SQLKit

extension Store {
    static let decisionColumns = ["id", "meeting_id", "item_id", "kind", "note", "partner_id", "engagement_id", "created_at"]

    static func decision(_ row: any SQLRow) throws -> MeetingDecision {
        MeetingDecision(
            id: try row.decode(column: "id", as: String.self), meetingId: try row.decode(column: "meeting_id", as: String.self),
            itemId: try row.decode(column: "item_id", as: String.self),
            kind: DecisionKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .noAction,
            note: try row.decode(column: "note", as: String?.self), partnerId: try row.decode(column: "partner_id", as: String?.self),
            engagementId: try row.decode(column: "engagement_id", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self))
    }

    static func loadDecisions(_ meetingId: String, _ db: any SQLDatabase) async throws -> [MeetingDecision] {
        try await db.select().columns(decisionColumns).from("meeting_decisions").where("meeting_id", .equal, meetingId)
            .orderBy("created_at").orderBy("id").all().map(decision)
    }

    /// Records what a held meeting decided about an item and applies it in the same transaction, each
    /// effect an event on its target naming the meeting: `assign` gives the item's signalement to a
    /// partner (the arbitration settled, its due date unchanged), `acknowledge` reviews the item's
    /// escalation, `engagement` creates an engagement (source `meeting`), `no_action` records a note.
    public func decide(_ meetingId: String, itemId: String, _ new: NewDecision, by actor: Actor) async throws -> MeetingDecision {
        try Permissions.requireRole(actor, .writeMeeting)
        var check = Validator()
        check.text(new.note, "note", required: new.kind == .noAction, maxLength: 4_000)
        if new.kind == .assign, new.partnerId == nil { check.fail("partner_id", "is required to assign") }
        if new.kind == .engagement, new.engagement == nil { check.fail("engagement", "is required to create an engagement") }
        if new.kind != .engagement, new.engagement != nil { check.fail("engagement", "is only for a decision of kind engagement") }
        if new.kind != .assign, new.partnerId != nil { check.fail("partner_id", "is only for a decision of kind assign") }
        try check.throwIfFailed()
        let reference = try await referenceSnapshot()
        let now = nowMilliseconds
        let today = self.today
        if let terms = new.engagement, new.kind == .engagement {
            try Self.checkNewEngagement(terms, reference: reference, today: today, field: "engagement.")
        }
        let policy = settings.escalation
        let residents = settings.residents
        let (decision, assigned) = try await database.write { db -> (MeetingDecision, Signalement?) in
            let meeting = try await Self.requireMeetingWriter(meetingId, actor, db)
            guard meeting.status == .held else {
                throw DomainError.conflict("decisions are recorded for a held meeting (this one is \(meeting.status.rawValue))")
            }
            guard
                let row = try await db.select().columns(Self.agendaItemColumns).from("meeting_items").where("id", .equal, itemId)
                    .where("meeting_id", .equal, meetingId).first()
            else { throw DomainError.notFound("agenda item not found") }
            let item = try Self.agendaItem(row)
            let note = new.note?.trimmingWhitespace
            let naming = "\(meeting.kind.rawValue) \(meeting.id) du \(FrenchDates.day(meeting.startsAt))"
            var engagementId: String?
            var assigned: Signalement?
            switch new.kind {
            case .assign:
                guard let signalement = item.signalementId, item.kind != .hotSpot else {
                    throw DomainError.conflict("this item is about no single signalement: there is nothing to assign")
                }
                assigned = try await Self.assign(
                    signalement, to: new.partnerId!, note: note ?? "Décidé en réunion (\(naming))", keepDueDate: true, ifVersion: nil,
                    by: actor, reference: reference, policy: policy, residents: residents, at: now, db
                ).0
                try await EventLog.append(db, .signalement, signalement, "meeting_decision", actor: actor, note: "assign: \(naming)", at: now)
            case .acknowledge:
                guard item.targetType == .escalation, let escalation = item.targetId else {
                    throw DomainError.conflict("this item is about no escalation: there is nothing to acknowledge")
                }
                // The meeting reviews the escalations of its own territories only.
                let territories = reference.descendants(of: Set(meeting.territoryIds)).union(meeting.territoryIds)
                let place = try await db.select().column("territory_id").from("escalations").where("id", .equal, escalation).first()
                guard let territory = try place?.decode(column: "territory_id", as: String?.self), territories.contains(territory) else {
                    throw DomainError.conflict("this escalation is not of the meeting's territories")
                }
                let updated = try await db.update("escalations").set("acknowledged_at", to: now).set("acknowledged_by", to: actor.id)
                    .where("id", .equal, escalation).where("acknowledged_at", .is, SQLLiteral.null).returning("level").all()
                guard let level = try updated.first?.decode(column: "level", as: Int.self) else {
                    throw DomainError.conflict("the escalation is already acknowledged")
                }
                try await EventLog.append(
                    db, .signalement, item.signalementId ?? "", "escalation_acknowledged", actor: actor, note: "level \(level), \(naming)", at: now)
            case .engagement:
                var terms = new.engagement!
                if let signalement = item.signalementId, !terms.signalementIds.contains(signalement) { terms.signalementIds.append(signalement) }
                let territories = reference.descendants(of: Set(meeting.territoryIds)).union(meeting.territoryIds)
                guard territories.contains(terms.territoryId) else {
                    throw ValidationFailure(field: "engagement.territory_id", message: "must be a territory of the meeting")
                }
                let engagement = try await Self.insertEngagement(
                    terms, source: .meeting, sourceId: meetingId, by: actor, at: now, reference: reference, today: today, db,
                    field: "engagement.")
                engagementId = engagement.id
                try await EventLog.append(db, .engagement, engagement.id, "meeting_decision", actor: actor, note: naming, at: now)
            case .noAction:
                if let signalement = item.signalementId {
                    try await EventLog.append(db, .signalement, signalement, "meeting_decision", actor: actor, note: "no_action: \(naming)", at: now)
                }
            }
            let decision = MeetingDecision(
                id: Identifier.make("dec"), meetingId: meetingId, itemId: itemId, kind: new.kind, note: note,
                partnerId: new.kind == .assign ? new.partnerId : new.kind == .engagement ? new.engagement?.leadPartnerId : nil,
                engagementId: engagementId, createdAt: now)
            try await db.insert(into: "meeting_decisions")
                .columns("id", "meeting_id", "item_id", "kind", "note", "partner_id", "engagement_id", "decided_by", "created_at")
                .values(
                    SQLBind(decision.id), SQLBind(meetingId), SQLBind(itemId), SQLBind(decision.kind.rawValue), SQLBind(note),
                    SQLBind(decision.partnerId), SQLBind(engagementId), SQLBind(actor.id), SQLBind(now)
                ).run()
            try await Self.touchMeeting(meetingId, at: now, db)
            try await EventLog.append(
                db, .meeting, meetingId, "decision_recorded", actor: actor, changes: ["decisions"], note: "\(decision.kind.rawValue) \(itemId)",
                at: now)
            return (decision, assigned)
        }
        if let assigned { recent.record(assigned, window: settings.duplicateWindow, now: now) }
        return decision
    }

    /// The decisions of a meeting, for whoever may read its minutes (else 404), each about an item the
    /// reader may see there.
    public func decisions(_ meetingId: String, by actor: Actor) async throws -> [MeetingDecision] {
        let minutes = try await meetingMinutes(meetingId, by: actor)
        return minutes.decisions
    }
}
