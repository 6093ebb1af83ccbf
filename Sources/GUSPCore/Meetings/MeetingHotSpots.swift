import Foundation
import SQLKit

/// At least K signalements of one category within 50 m of the first of them, filed in the last 90
/// days (neither rejected nor merged): a place that keeps going wrong.
struct HotSpot {
    var categoryId: String
    var territoryId: String?
    /// The earliest signalement of the group: the hot spot's name on the agenda.
    var first: String
    var firstFiledAt: Int64
    var members: [String]
    var count: Int { members.count }
}

extension Store {
    static let hotSpotRadius = 50.0
    static let hotSpotWindow: Int64 = 90 * 86_400_000

    /// Groups, category by category and oldest first, each signalement not yet in a group with those of
    /// its category within 50 m of it (grid cells, then the haversine); a group of `minimum` or more is
    /// a hot spot.
    static func hotSpots(_ territories: [String], minimum: Int, now: Int64, _ db: any SQLDatabase) async throws -> [HotSpot] {
        struct Point {
            var id: String, category: String, territory: String?, position: Position, filedAt: Int64
        }
        var byCategory: [String: [Point]] = [:]
        for row in try await db.select().columns("id", "category_id", "territory_id", "lat", "long", "created_at").from("signalements")
            .where("territory_id", .in, territories).where("created_at", .greaterThanOrEqual, now - hotSpotWindow)
            .where("status", .notIn, [SignalementStatus.rejected.rawValue, SignalementStatus.duplicate.rawValue])
            .where("lat", .isNot, SQLLiteral.null).orderBy("created_at").orderBy("id").all()
        {
            guard let lat = try row.decode(column: "lat", as: Double?.self), let long = try row.decode(column: "long", as: Double?.self) else {
                continue
            }
            let point = Point(
                id: try row.decode(column: "id", as: String.self), category: try row.decode(column: "category_id", as: String.self),
                territory: try row.decode(column: "territory_id", as: String?.self), position: Position(long: long, lat: lat),
                filedAt: try row.decode(column: "created_at", as: Int64.self))
            byCategory[point.category, default: []].append(point)
        }
        var spots: [HotSpot] = []
        for category in byCategory.keys.sorted() {
            let points = byCategory[category]!
            var cells: [Int64: [Int]] = [:]
            for (index, point) in points.enumerated() { cells[GroundDistance.cell(of: point.position), default: []].append(index) }
            var grouped = Set<Int>()
            for (index, point) in points.enumerated() where !grouped.contains(index) {
                let around = GroundDistance.cells(around: point.position, meters: hotSpotRadius) ?? [GroundDistance.cell(of: point.position)]
                let near = around.flatMap { cells[$0] ?? [] }.filter {
                    !grouped.contains($0) && GroundDistance.meters(point.position, points[$0].position) <= hotSpotRadius
                }.sorted()
                guard near.count >= minimum else { continue }
                grouped.formUnion(near)
                spots.append(
                    HotSpot(
                        categoryId: category, territoryId: point.territory, first: point.id, firstFiledAt: point.filedAt,
                        members: near.map { points[$0].id }))
            }
        }
        return spots
    }
}
