import Foundation
import GUSPDatabase
import SQLKit

struct WalkRow: Decodable {
    var id: String, kind: String, title: String, territoryId: String, startsAt: Int64, endsAt: Int64, timeOfDay: String
    var meetingPoint: String?, route: String?, gridId: String, organiserPartnerId: String, referentUserId: String?
    var conventionId: String?, seriesId: String?, status: String, statusNote: String?, version: Int, createdAt: Int64, updatedAt: Int64
}

extension Store {
    static let walkColumns = [
        "id", "kind", "title", "territory_id", "starts_at", "ends_at", "time_of_day", "meeting_point", "route", "grid_id",
        "organiser_partner_id", "referent_user_id", "convention_id", "series_id", "status", "status_note", "version", "created_at",
        "updated_at",
    ]

    static func loadWalks(_ query: SQLSelectBuilder, _ db: any SQLDatabase) async throws -> [Walk] {
        let rows = try await query.all(decoding: WalkRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        guard !rows.isEmpty else { return [] }
        let ids = rows.map(\.id)
        var stops: [String: [WalkStop]] = [:]
        for row in try await db.select().columns("walk_id", "label", "lat", "long").from("walk_stops").where("walk_id", .in, ids)
            .orderBy("position").all()
        {
            stops[try row.decode(column: "walk_id", as: String.self), default: []].append(
                WalkStop(
                    label: try row.decode(column: "label", as: String.self),
                    location: Position(long: try row.decode(column: "long", as: Double.self), lat: try row.decode(column: "lat", as: Double.self))))
        }
        let (invited, present) = try await loadLinkedPartners(table: "walk_partners", key: "walk_id", ids, db)
        var attendance: [String: [AttendanceCount]] = [:]
        for row in try await db.select().columns("walk_id", "role", "age_band", "count").from("walk_attendance")
            .where("walk_id", .in, ids).orderBy("role").orderBy("age_band").all()
        {
            guard let role = AttendeeRole(rawValue: try row.decode(column: "role", as: String.self)) else { continue }
            let band = try row.decode(column: "age_band", as: String.self)
            attendance[try row.decode(column: "walk_id", as: String.self), default: []].append(
                AttendanceCount(role: role, ageBand: AgeBand(rawValue: band), count: try row.decode(column: "count", as: Int.self)))
        }
        return try rows.map { row in
            guard let kind = WalkKind(rawValue: row.kind), let status = WalkStatus(rawValue: row.status),
                let time = WalkTimeOfDay(rawValue: row.timeOfDay)
            else { throw StorageFailure(description: "walk \(row.id) has an unknown kind, status or time of day") }
            return Walk(
                id: row.id, kind: kind, title: row.title, territoryId: row.territoryId, startsAt: row.startsAt, endsAt: row.endsAt,
                timeOfDay: time, meetingPoint: row.meetingPoint, routeJSON: row.route, stops: stops[row.id] ?? [], gridId: row.gridId,
                organiserPartnerId: row.organiserPartnerId, invitedPartnerIds: invited[row.id] ?? [], presentPartnerIds: present[row.id] ?? [],
                referentUserId: row.referentUserId, conventionId: row.conventionId, seriesId: row.seriesId, status: status,
                statusNote: row.statusNote, attendance: attendance[row.id] ?? [], version: row.version, createdAt: row.createdAt,
                updatedAt: row.updatedAt)
        }
    }

    static func loadWalk(_ id: String, _ db: any SQLDatabase, forUpdate: Bool = false) async throws -> Walk? {
        let query = db.select().columns(walkColumns).from("walks").where("id", .equal, id)
        if forUpdate { query.for(.update) }
        return try await loadWalks(query, db).first
    }

    /// Whether the actor may read the walk: residents once its report is published.
    static func sees(_ actor: Actor, _ walk: Walk) -> Bool {
        if actor.role == .resident { return walk.isPublic }
        return Permissions.allows(actor, .readWalk, on: walk.scope)
    }

    static func visibleWalk(_ id: String, _ actor: Actor, _ db: any SQLDatabase, forUpdate: Bool = false) async throws -> Walk {
        guard let walk = try await loadWalk(id, db, forUpdate: forUpdate), sees(actor, walk) else {
            throw DomainError.notFound("walk not found")
        }
        return walk
    }

    public func walk(_ id: String, by actor: Actor) async throws -> Walk {
        try Permissions.requireRole(actor, .readWalk)
        return try await database.read { db in try await Self.visibleWalk(id, actor, db) }
    }

    static let walkShared = SharedPartners(table: "walks", partnerColumn: "organiser_partner_id", linkTable: "walk_partners", linkKey: "walk_id")

    /// The walk list's reach on `select` (over `walks`): the territory's officials, the organiser and
    /// the invited or present partners, residents the walks whose report is published; then the
    /// territory (and below) and partner filters. False when the reader reaches none.
    static func walkReach(
        _ select: SQLSelectBuilder, actor: Actor, territoryId: String?, partnerId: String?, reference: ReferenceSnapshot
    ) -> Bool {
        if actor.role == .resident {
            select.where("status", .in, [WalkStatus.reportPublished.rawValue, WalkStatus.closed.rawValue])
        } else if !select.reachable(by: actor, .readWalk, shared: walkShared) {
            return false
        }
        if let territory = territoryId {
            select.where("territory_id", .in, Array(reference.descendants(of: [territory]).union([territory])))
        }
        if let partner = partnerId { select.where(walkShared.involving(partner)) }
        return true
    }

    /// The walks the caller may read, oldest first: the territory's officials, the organiser and the
    /// invited partners; residents those whose report is published.
    public func walks(_ filter: WalkFilter, page: PageRequest, by actor: Actor) async throws -> Page<Walk> {
        try Permissions.requireRole(actor, .readWalk)
        let reference = try await referenceSnapshot()
        let walks = try await database.read { db in
            let query = db.select().columns(Self.walkColumns.map { SQLColumn($0, table: "walks") }).from("walks")
            guard Self.walkReach(query, actor: actor, territoryId: filter.territoryId, partnerId: filter.partnerId, reference: reference) else {
                return [Walk]()
            }
            if let kind = filter.kind { query.where("kind", .equal, kind.rawValue) }
            if let status = filter.status { query.where("status", .equal, status.rawValue) }
            if let series = filter.seriesId { query.where("series_id", .equal, series) }
            return try await Self.loadWalks(query.updated(since: filter.updatedSince, table: "walks").paged(page, table: "walks"), db)
        }
        return Page(rows: walks, request: page) { PageCursor(createdAt: $0.createdAt, id: $0.id) }
    }
}
