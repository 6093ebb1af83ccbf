import Foundation
import SQLKit

/// A standing request for a daily digest of new signalements in a territory or a box, of some
/// categories (all when none is named).
public struct AreaAlert: Sendable, Equatable {
    public var id: String
    public var territoryId: String?
    public var bbox: BoundingBox?
    public var categoryIds: [String]
    public var label: String?
    public var lastDigestAt: Int64
    public var createdAt: Int64
}

public struct NewAreaAlert: Sendable {
    public var territoryId: String?
    public var bbox: BoundingBox?
    public var categoryIds: [String]
    public var label: String?

    public init(territoryId: String? = nil, bbox: BoundingBox? = nil, categoryIds: [String] = [], label: String? = nil) {
        self.territoryId = territoryId
        self.bbox = bbox
        self.categoryIds = categoryIds
        self.label = label
    }
}

extension Store {
    static let maximumAlertsPerPerson = 20

    public func createAreaAlert(_ new: NewAreaAlert, by actor: Actor) async throws -> AreaAlert {
        guard actor.kind == .user else { throw DomainError.forbidden("alerts belong to people, not partner systems") }
        var check = Validator()
        if (new.territoryId == nil) == (new.bbox == nil) { check.fail("territory_id", "give a territory_id or a bbox, not both") }
        if let box = new.bbox {
            if box.minLong >= box.maxLong || box.minLat >= box.maxLat || box.minLat < -90 || box.maxLat > 90 || box.minLong < -180
                || box.maxLong > 180
            {
                check.fail("bbox", "must be min_long < max_long and min_lat < max_lat, in degrees")
            } else if (box.maxLong - box.minLong) > 0.5 || (box.maxLat - box.minLat) > 0.5 {
                check.fail("bbox", "is at most half a degree each way (about 40 km by 55 km)")
            } else if (box.maxLong - box.minLong) < 0.005 || (box.maxLat - box.minLat) < 0.005 {
                // Smaller, a box watches one building: who reports there, and when.
                check.fail("bbox", "is at least 0.005 degree each way (about 400 m by 550 m)")
            }
        }
        if new.categoryIds.count > 50 { check.fail("category_ids", "at most 50") }
        check.text(new.label, "label", required: false, maxLength: 100)
        try check.throwIfFailed()
        let reference = try await referenceSnapshot()
        if let territory = new.territoryId, reference.territories[territory] == nil {
            throw ValidationFailure(field: "territory_id", message: "unknown territories: \(territory)")
        }
        let unknown = new.categoryIds.filter { reference.categories[$0] == nil }
        if !unknown.isEmpty { throw ValidationFailure(field: "category_ids", message: "unknown categories: \(unknown.joined(separator: ", "))") }
        let now = nowMilliseconds
        let alert = AreaAlert(
            id: Identifier.make("alr"), territoryId: new.territoryId, bbox: new.bbox, categoryIds: Array(Set(new.categoryIds)).sorted(),
            label: new.label?.trimmingWhitespace, lastDigestAt: now, createdAt: now)
        return try await database.write { db in
            let count =
                try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("area_alerts")
                .where("user_id", .equal, actor.id).first()?.decode(column: "n", as: Int.self) ?? 0
            if count >= Self.maximumAlertsPerPerson {
                throw DomainError.conflict("at most \(Self.maximumAlertsPerPerson) alerts per person: delete one first")
            }
            try await db.insert(into: "area_alerts")
                .columns(
                    "id", "user_id", "territory_id", "min_long", "min_lat", "max_long", "max_lat", "category_ids", "label", "last_digest_at",
                    "version",
                    "created_at", "updated_at"
                )
                .values(
                    SQLBind(alert.id), SQLBind(actor.id), SQLBind(alert.territoryId), SQLBind(alert.bbox?.minLong), SQLBind(alert.bbox?.minLat),
                    SQLBind(alert.bbox?.maxLong), SQLBind(alert.bbox?.maxLat),
                    SQLBind("[" + alert.categoryIds.map(JSONText.string).joined(separator: ",") + "]"), SQLBind(alert.label),
                    SQLBind(now), SQLBind(1), SQLBind(now), SQLBind(now)
                )
                .run()
            try await EventLog.append(db, .user, actor.id, "area_alert_created", actor: actor, at: now)
            return alert
        }
    }

    public func areaAlerts(page: PageRequest, by actor: Actor) async throws -> Page<AreaAlert> {
        guard actor.kind == .user else { throw DomainError.forbidden("alerts belong to people, not partner systems") }
        return try await database.read { db in
            let rows = try await db.select().column(SQLLiteral.all).from("area_alerts").where("user_id", .equal, actor.id)
                .paged(page, table: "area_alerts").all()
            return Page(rows: try rows.map(Self.areaAlert), request: page) { PageCursor(createdAt: $0.createdAt, id: $0.id) }
        }
    }

    public func deleteAreaAlert(_ id: String, by actor: Actor) async throws {
        let now = nowMilliseconds
        try await database.write { db in
            let deleted = try await db.delete(from: "area_alerts").where("id", .equal, id).where("user_id", .equal, actor.id).returning("id").all()
            if deleted.isEmpty { throw DomainError.notFound("alert not found") }
            try await EventLog.append(db, .user, actor.id, "area_alert_deleted", actor: actor, at: now)
        }
    }

    static func areaAlert(_ row: any SQLRow) throws -> AreaAlert {
        var box: BoundingBox?
        if let minLong = try row.decode(column: "min_long", as: Double?.self), let minLat = try row.decode(column: "min_lat", as: Double?.self),
            let maxLong = try row.decode(column: "max_long", as: Double?.self), let maxLat = try row.decode(column: "max_lat", as: Double?.self)
        {
            box = BoundingBox(minLong: minLong, minLat: minLat, maxLong: maxLong, maxLat: maxLat)
        }
        let categories = (try? JSONDecoder().decode([String].self, from: Data(try row.decode(column: "category_ids", as: String.self).utf8))) ?? []
        return AreaAlert(
            id: try row.decode(column: "id", as: String.self), territoryId: try row.decode(column: "territory_id", as: String?.self), bbox: box,
            categoryIds: categories, label: try row.decode(column: "label", as: String?.self),
            lastDigestAt: try row.decode(column: "last_digest_at", as: Int64.self), createdAt: try row.decode(column: "created_at", as: Int64.self))
    }
}
