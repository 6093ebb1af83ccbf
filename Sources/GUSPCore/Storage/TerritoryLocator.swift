import Foundation
import SQLKit

extension Store {
    /// The most specific territory whose contour contains the point: candidates come from the stored
    /// bounding boxes (indexed), then the exact test runs on their contours, and the smallest area wins
    /// (a sector inside a QPV inside a commune). Nil when the point is in no contoured territory.
    public func territory(containing point: Position) async throws -> Territory? {
        try await database.read { db in
            guard let id = try await Self.territoryId(containing: point, db) else { return nil }
            return try await Self.loadTerritory(id, db)
        }
    }

    static func territoryId(containing point: Position, _ db: any SQLDatabase) async throws -> String? {
        let candidates = try await db.select().columns("id", "geometry").from("territories")
            .where("bbox_min_long", .lessThanOrEqual, point.long).where("bbox_max_long", .greaterThanOrEqual, point.long)
            .where("bbox_min_lat", .lessThanOrEqual, point.lat).where("bbox_max_lat", .greaterThanOrEqual, point.lat)
            .all().map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "geometry", as: String.self)) }
        return smallestContaining(point, candidates)
    }

    /// Among (id, GeoJSON) candidates, the id of the smallest area containing the point.
    static func smallestContaining(_ point: Position, _ candidates: [(String, String)]) -> String? {
        var best: (id: String, area: Double)?
        for (id, text) in candidates {
            guard let geometry = GeometryCache.shared.geometry(id: id, json: text), geometry.contains(point) else { continue }
            if best == nil || geometry.area < best!.area { best = (id, geometry.area) }
        }
        return best?.id
    }
}
