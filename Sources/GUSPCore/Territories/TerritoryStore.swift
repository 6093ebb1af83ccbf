import Foundation
import SQLKit

private struct TerritoryRow: Decodable {
    var id: String, kind: String, code: String, label: String, parentId: String?, geometry: String?
    var version: Int, createdAt: Int64, updatedAt: Int64

    func territory() -> Territory {
        Territory(
            id: id, kind: TerritoryKind(rawValue: kind) ?? .sector, code: code, label: label, parentId: parentId,
            geometry: geometry, version: version, createdAt: createdAt, updatedAt: updatedAt)
    }
}

public struct TerritoryFilter: Sendable {
    public var kind: TerritoryKind?
    public var parentId: String?
    public var code: String?
    /// Only rows created or changed at or after this time.
    public var updatedSince: Date?
    public init(kind: TerritoryKind? = nil, parentId: String? = nil, code: String? = nil, updatedSince: Date? = nil) {
        self.updatedSince = updatedSince
        self.kind = kind
        self.parentId = parentId
        self.code = code
    }
}

extension Store {
    public func territories(_ filter: TerritoryFilter, page: PageRequest, by actor: Actor) async throws -> Page<Territory> {
        try Permissions.requireRole(actor, .readTerritory)
        let rows = try await database.read { db in
            let query = db.select()
                .columns("id", "kind", "code", "label", "parent_id", "version", "created_at", "updated_at")
                .column(SQLRaw("CASE WHEN geometry IS NULL THEN NULL ELSE '' END"), as: "geometry")
                .from("territories")
            if let kind = filter.kind { query.where("kind", .equal, kind.rawValue) }
            if let parent = filter.parentId { query.where("parent_id", .equal, parent) }
            if let code = filter.code { query.where("code", .equal, code) }
            return try await query.updated(since: filter.updatedSince, table: "territories").paged(page, table: "territories").all(
                decoding: TerritoryRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
        return Page(rows: rows.map { $0.territory() }, request: page) { PageCursor(createdAt: $0.createdAt, id: $0.id) }
    }

    public func territory(_ id: String, by actor: Actor) async throws -> Territory {
        let territory = try await database.read { try await Self.loadTerritory(id, $0) }
        guard let territory, Permissions.allows(actor, .readTerritory, on: territory.scope) else {
            throw DomainError.notFound("territory not found")
        }
        return territory
    }

    public func createTerritory(_ new: NewTerritory, by actor: Actor) async throws -> Territory {
        try Permissions.requireRole(actor, .createTerritory)
        var check = Validator()
        check.text(new.label, "label", maxLength: 200)
        if let problem = TerritoryCode.problem(code: new.code, kind: new.kind) { check.fail("code", problem) }
        let geometry = try new.geometryJSON.map { json throws(ValidationFailure) in
            try AreaGeometry.parse(json: Data(json), field: "geometry", maxVertices: Territory.maximumVertices)
        }
        try check.throwIfFailed()
        let now = nowMilliseconds
        let territory = Territory(
            id: Identifier.make("ter"), kind: new.kind, code: new.code, label: new.label.trimmingWhitespace,
            parentId: new.parentId, geometry: geometry?.geoJSON, version: 1, createdAt: now, updatedAt: now)
        return try await writeReference { db in
            if let parent = new.parentId {
                guard try await Self.loadTerritory(parent, db) != nil else {
                    throw ValidationFailure(field: "parent_id", message: "is not a known territory")
                }
            }
            // A coordinator creates sectors inside their own territories; official QPVs and communes are the admins'.
            let scope = ResourceScope(territoryIds: Set([new.parentId].compactMap { $0 }))
            if !Permissions.allows(actor, .createTerritory, on: scope) {
                throw DomainError.forbidden("a coordinator creates territories only inside their own territories")
            }
            if new.kind != .sector, !Permissions.reachesAll(actor, .createTerritory) {
                throw DomainError.forbidden("only admins create \(new.kind.rawValue) territories (official codes)")
            }
            try await db.insertUnique(
                db.insert(into: "territories")
                    .columns(
                        "id", "kind", "code", "label", "parent_id", "geometry", "bbox_min_long", "bbox_min_lat",
                        "bbox_max_long", "bbox_max_lat", "version", "created_at", "updated_at"
                    )
                    .values(
                        SQLBind(territory.id), SQLBind(territory.kind.rawValue), SQLBind(territory.code),
                        SQLBind(territory.label), SQLBind(territory.parentId), SQLBind(territory.geometry),
                        SQLBind(geometry?.boundingBox.minLong), SQLBind(geometry?.boundingBox.minLat),
                        SQLBind(geometry?.boundingBox.maxLong), SQLBind(geometry?.boundingBox.maxLat),
                        SQLBind(1), SQLBind(now), SQLBind(now)),
                whenDuplicate: "a \(new.kind.rawValue) territory with code \(new.code) already exists")
            if geometry != nil, new.parentId != nil {
                try await TerritoryContours.checkHierarchy(around: territory.id, field: "geometry", drawnBy: Self.drawer(actor, .createTerritory), db)
            }
            try await EventLog.append(db, .territory, territory.id, "created", actor: actor, at: now)
            return territory
        }
    }

    public func updateTerritory(_ id: String, _ changes: TerritoryChanges, ifVersion: Int?, by actor: Actor) async throws -> Territory {
        try Permissions.requireRole(actor, .updateTerritory)
        var check = Validator()
        if let label = changes.label { check.text(label, "label", maxLength: 200) }
        let geometry: AreaGeometry?? = try changes.geometryJSON.map { json throws(ValidationFailure) in
            try json.map { json throws(ValidationFailure) in
                try AreaGeometry.parse(json: Data(json), field: "geometry", maxVertices: Territory.maximumVertices)
            }
        }
        try check.throwIfFailed()
        let now = nowMilliseconds
        return try await writeReference { db in
            guard var territory = try await Self.loadTerritory(id, db, forUpdate: true) else { throw DomainError.notFound("territory not found") }
            try Permissions.require(actor, .updateTerritory, on: territory.scope, visibility: .readTerritory, resource: "territory")
            if let expected = ifVersion, expected != territory.version { throw DomainError.versionMismatch(current: territory.version) }
            if let label = changes.label { territory.label = label.trimmingWhitespace }
            if changes.parentId != nil, territory.kind != .sector, !Permissions.reachesAll(actor, .updateTerritory) {
                throw DomainError.forbidden("only admins move a \(territory.kind.rawValue) territory (official territories)")
            }
            if let parent = changes.parentId {
                // Moving a territory is changing both places: the new parent must be the actor's too.
                let destination = ResourceScope(territoryIds: Set([parent].compactMap { $0 }))
                if !Permissions.allows(actor, .updateTerritory, on: destination) {
                    throw DomainError.forbidden("a coordinator moves territories only under their own territories")
                }
                if let parent {
                    try await Hierarchy.checkParent(parent, of: id, kind: "territory") { try await Self.loadTerritory($0, db).map(\.parentId) }
                }
                territory.parentId = parent
            }
            if geometry != nil, territory.kind != .sector, !Permissions.reachesAll(actor, .updateTerritory) {
                throw DomainError.forbidden("only admins change the contour of a \(territory.kind.rawValue) territory (official contours)")
            }
            if let geometry { territory.geometry = geometry?.geoJSON }
            territory.version += 1
            territory.updatedAt = now
            let update = db.update("territories")
                .set("label", to: territory.label).set("parent_id", to: territory.parentId)
                .set("version", to: territory.version).set("updated_at", to: now)
            if let geometry {
                let box = geometry?.boundingBox
                update.set("geometry", to: territory.geometry)
                    .set("bbox_min_long", to: box?.minLong).set("bbox_min_lat", to: box?.minLat)
                    .set("bbox_max_long", to: box?.maxLong).set("bbox_max_lat", to: box?.maxLat)
            }
            try await update.where("id", .equal, id).run()
            if geometry != nil || changes.parentId != nil {
                try await TerritoryContours.checkHierarchy(
                    around: id, field: geometry != nil ? "geometry" : "parent_id",
                    drawnBy: Self.drawer(actor, .updateTerritory), db)
            }
            try await EventLog.append(db, .territory, id, "updated", actor: actor, changes: changes.changedFields, at: now)
            return territory
        }
    }

    public func deleteTerritory(_ id: String, by actor: Actor) async throws {
        try Permissions.requireRole(actor, .deleteTerritory)
        let now = nowMilliseconds
        try await writeReference { db in
            guard let territory = try await Self.loadTerritory(id, db, forUpdate: true) else { throw DomainError.notFound("territory not found") }
            try Permissions.require(actor, .deleteTerritory, on: territory.scope, visibility: .readTerritory, resource: "territory")
            try await db.deleteRow(from: "territories", id: id, whenReferenced: "the territory is still used (child territories, partners or users)")
            try await EventLog.append(db, .territory, id, "deleted", actor: actor, at: now)
        }
    }

    /// Who must hold the contour a territory is drawn within: nil for those who hold everything.
    private static func drawer(_ actor: Actor, _ operation: Operation) -> Actor? {
        Permissions.reachesAll(actor, operation) ? nil : actor
    }

    static func loadTerritory(_ id: String, _ db: any SQLDatabase, forUpdate: Bool = false) async throws -> Territory? {
        let query = db.select()
            .columns("id", "kind", "code", "label", "parent_id", "geometry", "version", "created_at", "updated_at")
            .from("territories").where("id", .equal, id)
        if forUpdate { query.for(.update) }
        return try await query.first(decoding: TerritoryRow.self, keyDecodingStrategy: .convertFromSnakeCase)?.territory()
    }

    /// The given territories and all their descendants.
    static func territoriesWithDescendants(_ ids: [String], _ db: any SQLDatabase) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        let rows = try await db.raw(
            """
            WITH RECURSIVE tree(id) AS (
              SELECT id FROM territories WHERE id IN (\(binds: ids))
              UNION SELECT child.id FROM territories child JOIN tree ON child.parent_id = tree.id)
            SELECT id FROM tree
            """
        ).all()
        return Set(try rows.map { try $0.decode(column: "id", as: String.self) })
    }

    /// Ids among `ids` that are not territories.
    static func unknownTerritories(_ ids: [String], _ db: any SQLDatabase) async throws -> [String] {
        guard !ids.isEmpty else { return [] }
        let rows = try await db.select().column("id").from("territories").where("id", .in, ids).all()
        let known = Set(try rows.map { try $0.decode(column: "id", as: String.self) })
        return ids.filter { !known.contains($0) }
    }
}
