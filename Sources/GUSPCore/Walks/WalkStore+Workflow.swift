import Foundation
import SQLKit

extension Store {
    /// Changes a planned walk (its date, route, stops, invitations, référent).
    public func updateWalk(_ id: String, _ changes: WalkChanges, ifVersion: Int?, by actor: Actor) async throws -> Walk {
        try Permissions.requireRole(actor, .writeWalk)
        let reference = try await referenceSnapshot()
        var check = Validator()
        if changes.isEmpty { check.fail("body", "must change at least one field") }
        if let title = changes.title { check.text(title, "title", maxLength: 200) }
        if case .some(.some(let point)) = changes.meetingPoint { check.text(point, "meeting_point", maxLength: 500) }
        var route: String??
        if let bytes = changes.routeJSON {
            do {
                route = .some(try bytes.map { bytes throws(ValidationFailure) in try WalkRoute.normalised(bytes) })
            } catch { check.fail(error.errors[0].field, error.errors[0].message) }
        }
        try check.throwIfFailed()
        let now = nowMilliseconds
        let normalisedRoute = route
        return try await database.write { db in
            var walk = try await Self.requireWalkWriter(id, actor, db)
            if let expected = ifVersion, expected != walk.version { throw DomainError.versionMismatch(current: walk.version) }
            guard walk.status == .planned else {
                throw DomainError.conflict("only a planned walk changes its plan (this one is \(walk.status.rawValue))")
            }
            var check = Validator()
            if let invited = changes.invitedPartnerIds {
                Self.checkInvited(invited, organiser: walk.organiserPartnerId, reference: reference, &check)
            }
            if let stops = changes.stops { Self.checkStops(stops, territoryId: walk.territoryId, reference: reference, &check) }
            if case .some(let referent) = changes.referentUserId { try await Self.checkReferent(referent, &check, db) }
            let startsAt = changes.startsAt?.storedMilliseconds ?? walk.startsAt
            let endsAt = changes.endsAt?.storedMilliseconds ?? walk.endsAt
            if endsAt <= startsAt { check.fail("ends_at", "must be after starts_at") }
            if endsAt - startsAt > 86_400_000 { check.fail("ends_at", "must be within 24 hours of starts_at") }
            try check.throwIfFailed()
            var fields: [String] = []
            func set<Value: Equatable>(_ path: WritableKeyPath<Walk, Value>, _ value: Value?, _ name: String) {
                guard let value, walk[keyPath: path] != value else { return }
                walk[keyPath: path] = value
                fields.append(name)
            }
            set(\.title, changes.title?.trimmingWhitespace, "title")
            set(\.startsAt, startsAt, "starts_at")
            set(\.endsAt, endsAt, "ends_at")
            set(\.timeOfDay, changes.timeOfDay, "time_of_day")
            set(\.meetingPoint, changes.meetingPoint.map { $0?.trimmingWhitespace }, "meeting_point")
            set(\.routeJSON, normalisedRoute, "route")
            set(\.stops, changes.stops, "stops")
            set(\.invitedPartnerIds, changes.invitedPartnerIds?.sorted(), "invited_partner_ids")
            set(\.referentUserId, changes.referentUserId, "referent_user_id")
            guard !fields.isEmpty else { return walk }
            walk.version += 1
            try await db.update("walks").set("title", to: walk.title).set("starts_at", to: walk.startsAt).set("ends_at", to: walk.endsAt)
                .set("time_of_day", to: walk.timeOfDay.rawValue).set("meeting_point", to: walk.meetingPoint).set("route", to: walk.routeJSON)
                .set("referent_user_id", to: walk.referentUserId).set("version", to: walk.version).set("updated_at", to: now)
                .where("id", .equal, id).run()
            if fields.contains("stops") { try await Self.replaceStops(id, walk.stops, db) }
            if fields.contains("invited_partner_ids") { try await Self.setPartners(id, walk.invitedPartnerIds, column: "invited", db) }
            try await EventLog.append(db, .walk, id, "updated", actor: actor, changes: fields, at: now)
            return try await Self.loadWalk(id, db)!
        }
    }

    /// Moves a walk: held, report published, closed, or cancelled (with a note saying why).
    public func transitionWalk(_ id: String, to status: WalkStatus, note: String?, ifVersion: Int?, by actor: Actor) async throws -> Walk {
        try Permissions.requireRole(actor, .writeWalk)
        var check = Validator()
        check.text(note, "note", required: status == .cancelled, maxLength: 4_000)
        if status == .reportPublished { check.fail("to", "the report is published with its text, by report:publish") }
        try check.throwIfFailed()
        let now = nowMilliseconds
        return try await database.write { db in
            var walk = try await Self.requireWalkWriter(id, actor, db)
            if let expected = ifVersion, expected != walk.version { throw DomainError.versionMismatch(current: walk.version) }
            guard walk.status.next.contains(status) else {
                throw DomainError.conflict("a walk that is \(walk.status.rawValue) cannot become \(status.rawValue)")
            }
            let previous = walk.status
            walk.status = status
            walk.statusNote = note?.trimmingWhitespace
            walk.version += 1
            try await db.update("walks").set("status", to: status.rawValue).set("status_note", to: walk.statusNote)
                .set("version", to: walk.version).set("updated_at", to: now).where("id", .equal, id).run()
            try await EventLog.append(
                db, .walk, id, "status_changed", actor: actor, changes: ["status"], from: previous.rawValue, to: status.rawValue,
                note: walk.statusNote, at: now)
            return try await Self.loadWalk(id, db)!
        }
    }

    /// Who came: counts by role and age band (never names), and the partners present. Recorded once the
    /// walk is held; sent again, it replaces the previous counts.
    public func setWalkAttendance(
        _ id: String, counts: [AttendanceCount], presentPartnerIds: [String], ifVersion: Int?, by actor: Actor
    ) async throws -> Walk {
        try Permissions.requireRole(actor, .writeWalk)
        let reference = try await referenceSnapshot()
        var check = Validator()
        var seen = Set<String>()
        for (index, count) in counts.enumerated() {
            if !(0...100_000).contains(count.count) { check.fail("counts[\(index)].count", "must be from 0 to 100000") }
            if !seen.insert("\(count.role.rawValue)/\(count.ageBand?.rawValue ?? "")").inserted {
                check.fail("counts[\(index)]", "counts this role and age band twice")
            }
        }
        if counts.count > 100 { check.fail("counts", "must list at most 100 counts") }
        if Set(presentPartnerIds).count != presentPartnerIds.count { check.fail("present_partner_ids", "must not list a partner twice") }
        for (index, partner) in presentPartnerIds.enumerated() where reference.partnerKinds[partner] == nil {
            check.fail("present_partner_ids[\(index)]", "is not a known partner")
        }
        try check.throwIfFailed()
        let now = nowMilliseconds
        return try await database.write { db in
            var walk = try await Self.requireWalkWriter(id, actor, db)
            if let expected = ifVersion, expected != walk.version { throw DomainError.versionMismatch(current: walk.version) }
            guard walk.status == .held else {
                throw DomainError.conflict("attendance is recorded for a held walk (this one is \(walk.status.rawValue))")
            }
            try await db.delete(from: "walk_attendance").where("walk_id", .equal, id).run()
            let kept = counts.filter { $0.count > 0 }
            if !kept.isEmpty {
                let insert = db.insert(into: "walk_attendance").columns("walk_id", "role", "age_band", "count")
                for count in kept {
                    insert.values(SQLBind(id), SQLBind(count.role.rawValue), SQLBind(count.ageBand?.rawValue ?? ""), SQLBind(count.count))
                }
                try await insert.run()
            }
            try await Self.setPartners(id, presentPartnerIds, column: "present", db)
            walk.version += 1
            try await db.update("walks").set("version", to: walk.version).set("updated_at", to: now).where("id", .equal, id).run()
            try await EventLog.append(db, .walk, id, "attendance_recorded", actor: actor, changes: ["attendance", "present_partner_ids"], at: now)
            return try await Self.loadWalk(id, db)!
        }
    }

    /// The walk, for a coordinator of its territory (or an admin): 404 when the caller cannot read it.
    static func requireWalkWriter(_ id: String, _ actor: Actor, _ db: any SQLDatabase) async throws -> Walk {
        let walk = try await visibleWalk(id, actor, db, forUpdate: true)
        if !Permissions.allows(actor, .writeWalk, on: ResourceScope(territoryIds: [walk.territoryId])) {
            throw DomainError.forbidden("this walk is run by the coordinators of its territory")
        }
        return walk
    }
}
