import Foundation
import SQLKit

extension Store {
    /// The most specific territory whose contour contains the point: candidates come from the stored
    /// bounding boxes (indexed), then the exact test runs on their contours, and the smallest area wins
    /// (a sector inside a QPV inside a commune). Nil when the point is in no contoured territory.
    public func territory(containing point: Position) async throws -> Territory? {
        let candidates = try await database.read { db in
            try await db.select().columns("id", "geometry").from("territories")
                .where("bbox_min_long", .lessThanOrEqual, point.long).where("bbox_max_long", .greaterThanOrEqual, point.long)
                .where("bbox_min_lat", .lessThanOrEqual, point.lat).where("bbox_max_lat", .greaterThanOrEqual, point.lat)
                .all().map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "geometry", as: String.self)) }
        }
        var best: (id: String, area: Double)?
        for (id, text) in candidates {
            guard let geometry = try? AreaGeometry.parse(json: Data(text.utf8), maxVertices: Territory.maximumVertices),
                  geometry.contains(point) else { continue }
            if best == nil || geometry.area < best!.area { best = (id, geometry.area) }
        }
        guard let best else { return nil }
        return try await database.read { try await Self.loadTerritory(best.id, $0) }
    }
}
