import Foundation
import GUSPDatabase
import SQLKit

extension Store {
    static let walkStopLimit = 50
    static let walkPartnerLimit = 100

    /// A coordinator plans a walk in one of their territories.
    public func createWalk(_ new: NewWalk, by actor: Actor) async throws -> Walk {
        try Permissions.requireRole(actor, .writeWalk)
        let reference = try await referenceSnapshot()
        var check = Validator()
        check.text(new.title, "title", maxLength: 200)
        check.text(new.meetingPoint, "meeting_point", required: false, maxLength: 500)
        if reference.territories[new.territoryId] == nil { check.fail("territory_id", "is not a known territory") }
        if reference.partnerKinds[new.organiserPartnerId] == nil { check.fail("organiser_partner_id", "is not a known partner") }
        if new.endsAt <= new.startsAt { check.fail("ends_at", "must be after starts_at") }
        if new.endsAt.timeIntervalSince(new.startsAt) > 24 * 3_600 { check.fail("ends_at", "must be within 24 hours of starts_at") }
        Self.checkInvited(new.invitedPartnerIds, organiser: new.organiserPartnerId, reference: reference, &check)
        Self.checkStops(new.stops, territoryId: new.territoryId, reference: reference, &check)
        if let series = new.seriesId { check.text(series, "series_id", maxLength: 64) }
        var route: String?
        do {
            route = try new.routeJSON.map { bytes throws(ValidationFailure) in try WalkRoute.normalised(bytes) }
        } catch { check.fail(error.errors[0].field, error.errors[0].message) }
        try check.throwIfFailed()
        let now = nowMilliseconds
        let normalisedRoute = route
        return try await database.write { db in
            if !Permissions.allows(actor, .writeWalk, on: ResourceScope(territoryIds: [new.territoryId])) {
                throw DomainError.forbidden("walks of this territory are planned by its coordinators")
            }
            let gridId = new.gridId ?? (new.kind == .diagnostic ? "grd_diagnostic" : "grd_marche_exploratoire")
            var check = Validator()
            if try await db.select().column("id").from("observation_grids").where("id", .equal, gridId).first() == nil {
                check.fail("grid_id", "is not a known observation grid")
            }
            try await Self.checkReferent(new.referentUserId, &check, db)
            if let convention = new.conventionId,
                try await db.select().column("id").from("conventions").where("id", .equal, convention).first() == nil
            {
                check.fail("convention_id", "is not a known convention")
            }
            try check.throwIfFailed()
            let id = Identifier.make("wlk")
            try await db.insert(into: "walks")
                .columns(
                    "id", "kind", "title", "territory_id", "starts_at", "ends_at", "time_of_day", "meeting_point", "route", "grid_id",
                    "organiser_partner_id", "referent_user_id", "convention_id", "series_id", "status", "status_note", "version",
                    "created_at", "updated_at"
                )
                .values(
                    SQLBind(id), SQLBind(new.kind.rawValue), SQLBind(new.title.trimmingWhitespace), SQLBind(new.territoryId),
                    SQLBind(new.startsAt.storedMilliseconds), SQLBind(new.endsAt.storedMilliseconds), SQLBind(new.timeOfDay.rawValue),
                    SQLBind(new.meetingPoint?.trimmingWhitespace), SQLBind(normalisedRoute), SQLBind(gridId), SQLBind(new.organiserPartnerId),
                    SQLBind(new.referentUserId), SQLBind(new.conventionId), SQLBind(new.seriesId), SQLBind(WalkStatus.planned.rawValue),
                    SQLBind(String?.none), SQLBind(1), SQLBind(now), SQLBind(now)
                ).run()
            try await Self.replaceStops(id, new.stops, db)
            try await Self.setPartners(id, new.invitedPartnerIds, column: "invited", db)
            try await EventLog.append(db, .walk, id, "created", actor: actor, to: WalkStatus.planned.rawValue, at: now)
            return try await Self.loadWalk(id, db)!
        }
    }

    static func checkInvited(_ partners: [String], organiser: String?, reference: ReferenceSnapshot, _ check: inout Validator) {
        checkPartnerList(
            partners, field: "invited_partner_ids", lead: organiser, leadName: "the organiser", limit: walkPartnerLimit,
            reference: reference, &check)
    }

    /// Stops lie within the walk's territory (when it has a contour).
    static func checkStops(_ stops: [WalkStop], territoryId: String, reference: ReferenceSnapshot, _ check: inout Validator) {
        if stops.count > walkStopLimit { check.fail("stops", "must list at most \(walkStopLimit) stops") }
        for (index, stop) in stops.enumerated() {
            check.text(stop.label, "stops[\(index)].label", maxLength: 200)
            if !reference.lies(stop.location, within: territoryId) {
                check.fail("stops[\(index)].location", "must lie within the walk's territory")
            }
        }
    }

    /// The élu référent is an elected official.
    static func checkReferent(_ userId: String?, _ check: inout Validator, _ db: any SQLDatabase) async throws {
        guard let userId else { return }
        guard let user = try await loadUser(userId, db), user.role == .elected else {
            check.fail("referent_user_id", "is not an elected official's account")
            return
        }
    }

    static func replaceStops(_ id: String, _ stops: [WalkStop], _ db: any SQLDatabase) async throws {
        try await db.delete(from: "walk_stops").where("walk_id", .equal, id).run()
        guard !stops.isEmpty else { return }
        let insert = db.insert(into: "walk_stops").columns("walk_id", "position", "label", "lat", "long")
        for (position, stop) in stops.enumerated() {
            insert.values(
                SQLBind(id), SQLBind(position), SQLBind(stop.label.trimmingWhitespace), SQLBind(stop.location.lat), SQLBind(stop.location.long))
        }
        try await insert.run()
    }

    /// Sets which partners are invited (`column` "invited") or were present ("present"); a partner
    /// neither invited nor present is no longer the walk's.
    static func setPartners(_ id: String, _ partners: [String], column: String, _ db: any SQLDatabase) async throws {
        try await setLinkedPartners(table: "walk_partners", key: "walk_id", id, partners, column: column, db)
    }
}
