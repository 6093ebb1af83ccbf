import Foundation
import GUSPCore
import GUSPDatabase

/// The fixture's territories with contours (rectangles) and a city partner, so that signalements
/// can be placed and routed:
/// - commune A (Valence): long 4.85–4.95, lat 44.90–44.96, with the city `villeA` working in it;
/// - QPV A inside it: long 4.90–4.92, lat 44.92–44.94, where bailleur `partnerA` works;
/// - commune B (Rennes): long -1.75 – -1.60, lat 48.07–48.15, where bailleur `partnerB` works.
public struct Contours: Sendable {
    public let villeA: Partner
    /// In QPV A.
    public let inQPV = Position(long: 4.91, lat: 44.93)
    /// In commune A, outside QPV A.
    public let inCommuneA = Position(long: 4.86, lat: 44.95)
    public let inCommuneB = Position(long: -1.68, lat: 48.11)
    /// In no territory.
    public let nowhere = Position(long: 5.5, lat: 45.5)

    /// A GeoJSON rectangle (longitudes, then latitudes).
    public static func rectangle(_ minLong: Double, _ minLat: Double, _ maxLong: Double, _ maxLat: Double) -> [UInt8] {
        Array(
            """
            {"type":"Polygon","coordinates":[[[\(minLong),\(minLat)],[\(maxLong),\(minLat)],[\(maxLong),\(maxLat)],[\(minLong),\(maxLat)],[\(minLong),\(minLat)]]]}
            """.utf8)
    }
}

extension Fixture {
    public func drawContours() async throws -> Contours {
        for (territory, box) in [
            (communeA, (4.85, 44.90, 4.95, 44.96)), (qpvA, (4.90, 44.92, 4.92, 44.94)),
            (communeB, (-1.75, 48.07, -1.60, 48.15)),
        ] {
            _ = try await store.updateTerritory(
                territory.id, TerritoryChanges(geometryJSON: .some(Contours.rectangle(box.0, box.1, box.2, box.3))),
                ifVersion: nil, by: Self.root)
        }
        let ville = try await store.createPartner(NewPartner(kind: .ville, name: "Ville de Valence", territoryIds: [communeA.id]), by: Self.root)
        return Contours(villeA: ville)
    }

    /// The id of a seeded category by its code.
    public func category(_ code: String) async throws -> String {
        let page = try await store.categories(CategoryFilter(), page: try PageRequest(limit: 500), by: Self.root)
        guard let category = page.items.first(where: { $0.code == code }) else { throw ConfigurationError("no category \(code)") }
        return category.id
    }
}
