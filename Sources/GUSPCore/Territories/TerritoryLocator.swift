import Foundation
import SQLKit

extension Store {
    /// The most specific territory whose contour contains the point (a sector inside a QPV inside a
    /// commune), from the reference data's contours; nil when the point is in no contoured territory.
    public func territory(containing point: Position) async throws -> Territory? {
        guard let id = try await referenceSnapshot().territory(containing: point) else { return nil }
        return try await database.read { try await Self.loadTerritory(id, $0) }
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
