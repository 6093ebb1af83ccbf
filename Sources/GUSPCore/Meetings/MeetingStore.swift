import Foundation
import GUSPDatabase
import SQLKit

extension Store {
    static let meetingPartnerLimit = 100
    static let meetingTerritoryLimit = 50

    /// A coordinator plans a meeting over territories they all hold. From a previous meeting, its
    /// open items (no decision) and the engagements it decided that are still open come onto the agenda.
    public func createMeeting(_ new: NewMeeting, by actor: Actor) async throws -> Meeting {
        try Permissions.requireRole(actor, .writeMeeting)
        let reference = try await referenceSnapshot()
        var check = Validator()
        check.text(new.title, "title", maxLength: 200)
        if new.territoryIds.isEmpty || new.territoryIds.count > Self.meetingTerritoryLimit {
            check.fail("territory_ids", "must list 1 to \(Self.meetingTerritoryLimit) territories")
        }
        if Set(new.territoryIds).count != new.territoryIds.count { check.fail("territory_ids", "must not list a territory twice") }
        for (index, territory) in new.territoryIds.enumerated() where reference.territories[territory] == nil {
            check.fail("territory_ids[\(index)]", "is not a known territory")
        }
        if reference.partnerKinds[new.chairPartnerId] == nil { check.fail("chair_partner_id", "is not a known partner") }
        Self.checkPartnerList(
            new.invitedPartnerIds, field: "invited_partner_ids", lead: new.chairPartnerId, leadName: "the chair",
            limit: Self.meetingPartnerLimit, reference: reference, &check)
        try check.throwIfFailed()
        let now = nowMilliseconds
        let today = self.today
        return try await database.write { db in
            if !Permissions.allows(actor, .writeMeeting, on: ResourceScope(territoryIds: Set(new.territoryIds))) {
                throw DomainError.forbidden("meetings of these territories are planned by their coordinators")
            }
            var check = Validator()
            if let convention = new.conventionId,
                try await db.select().column("id").from("conventions").where("id", .equal, convention).first() == nil
            {
                check.fail("convention_id", "is not a known convention")
            }
            var previous: Meeting?
            if let id = new.previousMeetingId {
                // What is carried is acted on: the caller runs the previous meeting too.
                previous = try await Self.loadMeeting(id, db)
                if previous == nil || !Self.sees(actor, previous!)
                    || !Permissions.allows(actor, .writeMeeting, on: ResourceScope(territoryIds: Set(previous!.territoryIds)))
                {
                    check.fail("previous_meeting_id", "is not a meeting of territories you coordinate")
                }
            }
            try check.throwIfFailed()
            let id = Identifier.make("mtg")
            try await db.insert(into: "meetings")
                .columns(
                    "id", "kind", "title", "convention_id", "starts_at", "chair_partner_id", "previous_meeting_id", "status", "status_note",
                    "minutes", "minutes_visibility", "minutes_approved_at", "version", "created_at", "updated_at"
                )
                .values(
                    SQLBind(id), SQLBind(new.kind.rawValue), SQLBind(new.title.trimmingWhitespace), SQLBind(new.conventionId),
                    SQLBind(new.startsAt.storedMilliseconds), SQLBind(new.chairPartnerId), SQLBind(new.previousMeetingId),
                    SQLBind(MeetingStatus.planned.rawValue), SQLBind(String?.none), SQLBind(String?.none),
                    SQLBind(MinutesVisibility.internal.rawValue), SQLBind(Int64?.none), SQLBind(1), SQLBind(now), SQLBind(now)
                ).run()
            let territories = db.insert(into: "meeting_territories").columns("meeting_id", "territory_id")
            for territory in new.territoryIds { territories.values(SQLBind(id), SQLBind(territory)) }
            try await territories.run()
            try await Self.setLinkedPartners(table: "meeting_partners", key: "meeting_id", id, new.invitedPartnerIds, column: "invited", db)
            let meeting = try await Self.loadMeeting(id, db)!
            if let previous { try await Self.carryForward(from: previous, to: meeting, reference: reference, at: now, today: today, db) }
            try await EventLog.append(db, .meeting, id, "created", actor: actor, to: MeetingStatus.planned.rawValue, at: now)
            try await Outbox.append([Self.meetingMessage(.meetingScheduled, meeting, at: now)], db)
            return meeting
        }
    }

    /// Changes a meeting: its title, date and invitations while planned; the partners present once held.
    public func updateMeeting(_ id: String, _ changes: MeetingChanges, ifVersion: Int?, by actor: Actor) async throws -> Meeting {
        try Permissions.requireRole(actor, .writeMeeting)
        let reference = try await referenceSnapshot()
        var check = Validator()
        if changes.isEmpty { check.fail("body", "must change at least one field") }
        if let title = changes.title { check.text(title, "title", maxLength: 200) }
        if let present = changes.presentPartnerIds {
            if present.count > Self.meetingPartnerLimit {
                check.fail("present_partner_ids", "must list at most \(Self.meetingPartnerLimit) partners")
            }
            if Set(present).count != present.count { check.fail("present_partner_ids", "must not list a partner twice") }
            for (index, partner) in present.enumerated() where reference.partnerKinds[partner] == nil {
                check.fail("present_partner_ids[\(index)]", "is not a known partner")
            }
        }
        try check.throwIfFailed()
        let now = nowMilliseconds
        return try await database.write { db in
            var meeting = try await Self.requireMeetingWriter(id, actor, db)
            if let expected = ifVersion, expected != meeting.version { throw DomainError.versionMismatch(current: meeting.version) }
            let planChanges = changes.title != nil || changes.startsAt != nil || changes.invitedPartnerIds != nil
            if planChanges, meeting.status != .planned {
                throw DomainError.conflict("only a planned meeting changes its plan (this one is \(meeting.status.rawValue))")
            }
            if changes.presentPartnerIds != nil, meeting.status != .held {
                throw DomainError.conflict("the partners present are recorded for a held meeting (this one is \(meeting.status.rawValue))")
            }
            var check = Validator()
            if let invited = changes.invitedPartnerIds {
                Self.checkPartnerList(
                    invited, field: "invited_partner_ids", lead: meeting.chairPartnerId, leadName: "the chair", limit: Self.meetingPartnerLimit,
                    reference: reference, &check)
            }
            try check.throwIfFailed()
            var fields: [String] = []
            if let title = changes.title?.trimmingWhitespace, title != meeting.title {
                meeting.title = title
                fields.append("title")
            }
            if let starts = changes.startsAt?.storedMilliseconds, starts != meeting.startsAt {
                meeting.startsAt = starts
                fields.append("starts_at")
            }
            if let invited = changes.invitedPartnerIds?.sorted(), invited != meeting.invitedPartnerIds {
                try await Self.setLinkedPartners(table: "meeting_partners", key: "meeting_id", id, invited, column: "invited", db)
                fields.append("invited_partner_ids")
            }
            if let present = changes.presentPartnerIds?.sorted(), present != meeting.presentPartnerIds {
                try await Self.setLinkedPartners(table: "meeting_partners", key: "meeting_id", id, present, column: "present", db)
                fields.append("present_partner_ids")
            }
            guard !fields.isEmpty else { return meeting }
            try await db.update("meetings").set("title", to: meeting.title).set("starts_at", to: meeting.startsAt)
                .set("version", to: meeting.version + 1).set("updated_at", to: now).where("id", .equal, id).run()
            try await EventLog.append(db, .meeting, id, "updated", actor: actor, changes: fields, at: now)
            return try await Self.loadMeeting(id, db)!
        }
    }

    /// Moves a meeting: held, minutes approved (the minutes written first), or cancelled (with a note).
    public func transitionMeeting(_ id: String, to status: MeetingStatus, note: String?, ifVersion: Int?, by actor: Actor) async throws -> Meeting {
        try Permissions.requireRole(actor, .writeMeeting)
        var check = Validator()
        check.text(note, "note", required: status == .cancelled, maxLength: 4_000)
        try check.throwIfFailed()
        let now = nowMilliseconds
        return try await database.write { db in
            var meeting = try await Self.requireMeetingWriter(id, actor, db)
            if let expected = ifVersion, expected != meeting.version { throw DomainError.versionMismatch(current: meeting.version) }
            guard meeting.status.next.contains(status) else {
                throw DomainError.conflict("a meeting that is \(meeting.status.rawValue) cannot become \(status.rawValue)")
            }
            if status == .minutesApproved, meeting.minutes == nil {
                throw DomainError.conflict("the minutes are written (PUT …/minutes) before they are approved")
            }
            let previous = meeting.status
            meeting.status = status
            meeting.statusNote = note?.trimmingWhitespace
            try await db.update("meetings").set("status", to: status.rawValue).set("status_note", to: meeting.statusNote)
                .set("minutes_approved_at", to: status == .minutesApproved ? now : meeting.minutesApprovedAt)
                .set("version", to: meeting.version + 1).set("updated_at", to: now).where("id", .equal, id).run()
            try await EventLog.append(
                db, .meeting, id, "status_changed", actor: actor, changes: ["status"], from: previous.rawValue, to: status.rawValue,
                note: meeting.statusNote, at: now)
            let moved = try await Self.loadMeeting(id, db)!
            if status == .minutesApproved { try await Outbox.append([Self.meetingMessage(.meetingMinutesApproved, moved, at: now)], db) }
            return moved
        }
    }

    /// Writes the minutes of a held meeting (the text, and who will read them once approved).
    public func setMeetingMinutes(
        _ id: String, text: String, visibility: MinutesVisibility, ifVersion: Int?, by actor: Actor
    ) async throws -> Meeting {
        try Permissions.requireRole(actor, .writeMeeting)
        var check = Validator()
        check.text(text, "text", maxLength: 100_000)
        try check.throwIfFailed()
        let now = nowMilliseconds
        return try await database.write { db in
            let meeting = try await Self.requireMeetingWriter(id, actor, db)
            if let expected = ifVersion, expected != meeting.version { throw DomainError.versionMismatch(current: meeting.version) }
            guard meeting.status == .held else {
                throw DomainError.conflict("the minutes are written for a held meeting (this one is \(meeting.status.rawValue))")
            }
            try await db.update("meetings").set("minutes", to: text.trimmingWhitespace).set("minutes_visibility", to: visibility.rawValue)
                .set("version", to: meeting.version + 1).set("updated_at", to: now).where("id", .equal, id).run()
            try await EventLog.append(db, .meeting, id, "minutes_written", actor: actor, changes: ["minutes", "minutes_visibility"], at: now)
            return try await Self.loadMeeting(id, db)!
        }
    }

    /// Ids and states only, as every outbox message.
    static func meetingMessage(_ type: OutboxEventType, _ meeting: Meeting, at now: Int64) -> OutboxMessage {
        OutboxMessage(
            type, .meeting, meeting.id, partners: [meeting.chairPartnerId] + meeting.invitedPartnerIds + meeting.presentPartnerIds,
            data: [
                "meeting_id": .text(meeting.id), "kind": .text(meeting.kind.rawValue), "status": .text(meeting.status.rawValue),
                "starts_at": .time(meeting.startsAt), "territory_ids": .text(meeting.territoryIds.joined(separator: ",")),
                "minutes_visibility": .text(meeting.minutesVisibility.rawValue),
            ], at: now)
    }
}
