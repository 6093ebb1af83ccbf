import Foundation
import SQLKit

extension Store {
    /// The most specific territory whose contour contains the point (a sector inside a QPV inside a
    /// commune), from the reference data's contours; nil when the point is in no contoured territory.
    public func territory(containing point: Position) async throws -> Territory? {
        guard let id = try await referenceSnapshot().territory(containing: point) else { return nil }
        return try await database.read { try await Self.loadTerritory(id, $0) }
    }
}
