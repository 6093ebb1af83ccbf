import Foundation
import SQLKit

private struct LandParcelRow: Decodable {
    var id: String, label: String, partnerId: String, allCategories: Int, geometry: String
    var validFrom: String?, validTo: String?, version: Int, createdAt: Int64, updatedAt: Int64

    func parcel(categories: [String]) -> LandParcel {
        LandParcel(
            id: id, label: label, partnerId: partnerId, categoryIds: categories, geometry: geometry,
            validFrom: validFrom, validTo: validTo, version: version, createdAt: createdAt, updatedAt: updatedAt)
    }
}

public struct LandParcelFilter: Sendable {
    public var partnerId: String?
    /// Only parcels whose contour contains this point.
    public var containing: Position?
    public var updatedSince: Date?
    public init(partnerId: String? = nil, containing: Position? = nil, updatedSince: Date? = nil) {
        self.partnerId = partnerId
        self.containing = containing
        self.updatedSince = updatedSince
    }
}

extension Store {
    public func landParcels(_ filter: LandParcelFilter, page: PageRequest, by actor: Actor) async throws -> Page<LandParcel> {
        try Permissions.requireRole(actor, .readLandParcel)
        return try await database.read { db in
            let query = db.select().column(SQLLiteral.all).from("land_parcels")
            if let partner = filter.partnerId { query.where("partner_id", .equal, partner) }
            if let point = filter.containing {
                query.where("bbox_min_long", .lessThanOrEqual, point.long).where("bbox_max_long", .greaterThanOrEqual, point.long)
                    .where("bbox_min_lat", .lessThanOrEqual, point.lat).where("bbox_max_lat", .greaterThanOrEqual, point.lat)
            }
            let rows = try await query.updated(since: filter.updatedSince, table: "land_parcels").paged(page, table: "land_parcels")
                .all(decoding: LandParcelRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            // With a point, the exact test may drop rows: the page comes out shorter, and the cursor
            // still follows the last row read.
            let read = Array(rows.prefix(page.limit))
            let kept =
                filter.containing.map { point in
                    read.filter { GeometryCache.shared.geometry(id: $0.id, json: $0.geometry)?.contains(point) ?? false }
                } ?? read
            let categories = try await Self.parcelCategories(kept.map(\.id), db)
            let next = rows.count > page.limit ? read.last.map { PageCursor(createdAt: $0.createdAt, id: $0.id).encoded } : nil
            return Page(items: kept.map { $0.parcel(categories: categories[$0.id] ?? []) }, nextCursor: next)
        }
    }

    public func landParcel(_ id: String, by actor: Actor) async throws -> LandParcel {
        try Permissions.requireRole(actor, .readLandParcel)
        guard let parcel = try await database.read({ try await Self.loadLandParcel(id, $0) }) else {
            throw DomainError.notFound("land parcel not found")
        }
        return parcel
    }

    public func createLandParcel(_ new: NewLandParcel, by actor: Actor) async throws -> LandParcel {
        try Permissions.requireRole(actor, .createLandParcel)
        let geometry = try LandParcelRules.check(new, prefix: "")
        let now = nowMilliseconds
        return try await writeReference { db in
            try await Self.insertLandParcel(new, geometry: geometry, prefix: "", actor: actor, at: now, db)
        }
    }

    public func updateLandParcel(_ id: String, _ changes: LandParcelChanges, ifVersion: Int?, by actor: Actor) async throws -> LandParcel {
        try Permissions.requireRole(actor, .updateLandParcel)
        var check = Validator()
        if let label = changes.label { check.text(label, "label", maxLength: 200) }
        for (field, value) in [("valid_from", changes.validFrom), ("valid_to", changes.validTo)] {
            if case .some(.some(let day)) = value, !LandParcel.isDay(day) { check.fail(field, "must be a date YYYY-MM-DD") }
        }
        try check.throwIfFailed()
        let geometry = try changes.geometryJSON.map { json throws(ValidationFailure) in
            try AreaGeometry.parse(json: Data(json), field: "geometry", maxVertices: LandParcel.maximumVertices)
        }
        let now = nowMilliseconds
        return try await writeReference { db in
            guard var parcel = try await Self.loadLandParcel(id, db, forUpdate: true) else { throw DomainError.notFound("land parcel not found") }
            var scope = try await Self.landParcelScope(parcel, db)
            try Permissions.require(actor, .updateLandParcel, on: scope, visibility: .readLandParcel, resource: "land parcel")
            if let expected = ifVersion, expected != parcel.version { throw DomainError.versionMismatch(current: parcel.version) }
            if let label = changes.label { parcel.label = label.trimmingWhitespace }
            if let partner = changes.partnerId {
                parcel.partnerId = partner
                scope = try await Self.landParcelScope(parcel, db, field: "partner_id")
                if !Permissions.allows(actor, .updateLandParcel, on: scope) {
                    throw DomainError.forbidden("a coordinator gives land parcels to partners of their own territories")
                }
            }
            if let categories = changes.categoryIds {
                try await Self.requireKnownCategories(categories, field: "category_ids", db)
                parcel.categoryIds = categories
            }
            if let geometry { parcel.geometry = geometry.geoJSON }
            if geometry != nil || changes.partnerId != nil, let area = geometry ?? GeometryCache.shared.geometry(id: id, json: parcel.geometry) {
                try await Self.checkParcelPlace(
                    area, partner: scope, actor: actor, operation: .updateLandParcel,
                    field: geometry != nil ? "geometry" : "partner_id", db)
            }
            if let from = changes.validFrom { parcel.validFrom = from }
            if let to = changes.validTo { parcel.validTo = to }
            if let from = parcel.validFrom, let to = parcel.validTo, to < from {
                throw ValidationFailure(field: "valid_to", message: "must not be before valid_from")
            }
            parcel.version += 1
            parcel.updatedAt = now
            let box = geometry?.boundingBox
            let update = db.update("land_parcels").set("label", to: parcel.label).set("partner_id", to: parcel.partnerId)
                .set("all_categories", to: parcel.categoryIds.isEmpty ? 1 : 0).set("geometry", to: parcel.geometry)
                .set("valid_from", to: parcel.validFrom).set("valid_to", to: parcel.validTo)
                .set("version", to: parcel.version).set("updated_at", to: now)
            if let box {
                update.set("bbox_min_long", to: box.minLong).set("bbox_min_lat", to: box.minLat)
                    .set("bbox_max_long", to: box.maxLong).set("bbox_max_lat", to: box.maxLat)
            }
            try await update.where("id", .equal, id).run()
            if changes.categoryIds != nil { try await Self.replaceParcelCategories(id, parcel.categoryIds, db) }
            try await EventLog.append(db, .landParcel, id, "updated", actor: actor, changes: changes.changedFields, at: now)
            return parcel
        }
    }

    public func deleteLandParcel(_ id: String, by actor: Actor) async throws {
        try Permissions.requireRole(actor, .deleteLandParcel)
        let now = nowMilliseconds
        try await writeReference { db in
            guard let parcel = try await Self.loadLandParcel(id, db, forUpdate: true) else { throw DomainError.notFound("land parcel not found") }
            try Permissions.require(
                actor, .deleteLandParcel, on: try await Self.landParcelScope(parcel, db),
                visibility: .readLandParcel, resource: "land parcel")
            try await db.delete(from: "land_parcels").where("id", .equal, id).run()
            try await EventLog.append(db, .landParcel, id, "deleted", actor: actor, at: now)
        }
    }

    static func insertLandParcel(
        _ new: NewLandParcel, geometry: AreaGeometry, prefix: String, geometryField: String = "geometry", actor: Actor,
        at now: Int64, _ db: any SQLDatabase
    ) async throws -> LandParcel {
        let parcel = LandParcel(
            id: Identifier.make("lpa"), label: new.label.trimmingWhitespace, partnerId: new.partnerId,
            categoryIds: new.categoryIds, geometry: geometry.geoJSON, validFrom: new.validFrom,
            validTo: new.validTo, version: 1, createdAt: now, updatedAt: now)
        let scope = try await landParcelScope(parcel, db, field: prefix + "partner_id")
        if !Permissions.allows(actor, .createLandParcel, on: scope) {
            throw DomainError.forbidden("a coordinator records land parcels of partners of their own territories")
        }
        try await requireKnownCategories(new.categoryIds, field: prefix + "category_ids", db)
        try await checkParcelPlace(geometry, partner: scope, actor: actor, operation: .createLandParcel, field: geometryField, db)
        let box = geometry.boundingBox
        try await db.insert(into: "land_parcels")
            .columns(
                "id", "label", "partner_id", "all_categories", "geometry", "bbox_min_long", "bbox_min_lat",
                "bbox_max_long", "bbox_max_lat", "valid_from", "valid_to", "version", "created_at", "updated_at"
            )
            .values(
                SQLBind(parcel.id), SQLBind(parcel.label), SQLBind(parcel.partnerId), SQLBind(new.categoryIds.isEmpty ? 1 : 0),
                SQLBind(parcel.geometry), SQLBind(box.minLong), SQLBind(box.minLat), SQLBind(box.maxLong), SQLBind(box.maxLat),
                SQLBind(parcel.validFrom), SQLBind(parcel.validTo), SQLBind(1), SQLBind(now), SQLBind(now)
            )
            .run()
        try await replaceParcelCategories(parcel.id, new.categoryIds, db)
        try await EventLog.append(db, .landParcel, parcel.id, "created", actor: actor, at: now)
        return parcel
    }

    static func loadLandParcel(_ id: String, _ db: any SQLDatabase, forUpdate: Bool = false) async throws -> LandParcel? {
        let query = db.select().column(SQLLiteral.all).from("land_parcels").where("id", .equal, id)
        if forUpdate { query.for(.update) }
        guard let row = try await query.first(decoding: LandParcelRow.self, keyDecodingStrategy: .convertFromSnakeCase) else { return nil }
        return row.parcel(categories: try await parcelCategories([id], db)[id] ?? [])
    }

    /// A parcel must lie within the contour of a territory that both its author and its partner hold (each
    /// with what lies below): otherwise a coordinator could draw one over another quartier and route its
    /// signalements, and their reporters' contacts, to a partner of their choosing. Admins hold everything.
    /// `partner` is the scope the permission check loaded (`landParcelScope`): its territories are the partner's.
    static func checkParcelPlace(
        _ geometry: AreaGeometry, partner: ResourceScope, actor: Actor, operation: Operation, field: String,
        _ db: any SQLDatabase
    ) async throws {
        let caller: Set<String>? = Permissions.reachesAll(actor, operation) ? nil : actor.territoryIds
        let holders = try await TerritoryContours.holders(partnerTerritories: partner.territoryIds, callerTerritories: caller, db)
        guard holders.contains(where: { $0.geometry?.covers(geometry) == true }) else {
            throw ValidationFailure(field: field, message: "must lie within the contour of a territory where both you and the partner work")
        }
    }

    /// A parcel belongs to its partner's territories, for permissions.
    static func landParcelScope(_ parcel: LandParcel, _ db: any SQLDatabase, field: String = "partner_id") async throws -> ResourceScope {
        guard let partner = try await loadPartner(parcel.partnerId, db) else {
            throw ValidationFailure(field: field, message: "is not a known partner")
        }
        return partner.scope
    }

    static func parcelCategories(_ ids: [String], _ db: any SQLDatabase) async throws -> [String: [String]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.select().columns("land_parcel_id", "category_id").from("land_parcel_categories")
            .where("land_parcel_id", .in, ids).orderBy("category_id").all()
        var result: [String: [String]] = [:]
        for row in rows {
            result[try row.decode(column: "land_parcel_id", as: String.self), default: []]
                .append(try row.decode(column: "category_id", as: String.self))
        }
        return result
    }

    static func replaceParcelCategories(_ id: String, _ categories: [String], _ db: any SQLDatabase) async throws {
        try await db.delete(from: "land_parcel_categories").where("land_parcel_id", .equal, id).run()
        for category in Set(categories) {
            try await db.insert(into: "land_parcel_categories").columns("land_parcel_id", "category_id")
                .values(SQLBind(id), SQLBind(category)).run()
        }
    }

    static func requireKnownCategories(_ ids: [String], field: String, _ db: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        let known = Set(
            try await db.select().column("id").from("categories").where("id", .in, ids).all()
                .map { try $0.decode(column: "id", as: String.self) })
        let unknown = ids.filter { !known.contains($0) }
        if !unknown.isEmpty { throw ValidationFailure(field: field, message: "unknown categories: \(unknown.joined(separator: ", "))") }
    }
}
