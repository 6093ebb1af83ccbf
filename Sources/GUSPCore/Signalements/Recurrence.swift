import Foundation
import SQLKit

/// Recurrence: a signalement recurs when an earlier signalement of the same category was filed within
/// 50 m of it in the 90 days before it (whatever became of that one). Decided when it is filed, and
/// again when its category is corrected; counted by the `recurrence_rate` indicator.
package enum Recurrence {
    static let radius = 50.0
    static let window: Int64 = 90 * 86_400_000

    /// Whether a signalement of `categoryId` at `location` filed at `filedAt` recurs, through the index
    /// of grid cells and times (`signalements_cell`): the database keeps the rows within the radius by a
    /// flat-earth distance (exact to a millimetre at 50 m) and stops at the first few; the haversine confirms.
    static func recurs(
        categoryId: String, location: Position?, filedAt: Int64, excluding id: String,
        _ db: any SQLDatabase
    ) async throws -> Bool {
        guard let location, let cells = GroundDistance.cells(around: location, meters: radius) else { return false }
        let box = GroundDistance.box(around: location, meters: radius)
        let degrees = (radius + 0.01) / GroundDistance.earthRadius * 180 / .pi
        let squeeze = pow(cos(location.lat * .pi / 180), 2)
        let rows = try await db.raw(
            """
            SELECT lat, long FROM signalements
            WHERE category_id = \(bind: categoryId) AND cell IN (\(binds: cells))
              AND created_at >= \(bind: filedAt - window) AND created_at <= \(bind: filedAt) AND id <> \(bind: id)
              AND lat >= \(bind: box.minLat) AND lat <= \(bind: box.maxLat) AND long >= \(bind: box.minLong) AND long <= \(bind: box.maxLong)
              AND (lat - \(bind: location.lat)) * (lat - \(bind: location.lat))
                  + (long - \(bind: location.long)) * (long - \(bind: location.long)) * \(bind: squeeze) <= \(bind: degrees * degrees)
            LIMIT 8
            """
        ).all()
        for row in rows {
            let other = Position(long: try row.decode(column: "long", as: Double.self), lat: try row.decode(column: "lat", as: Double.self))
            if GroundDistance.meters(location, other) <= radius { return true }
        }
        return false
    }

    /// After `signalement`'s category was corrected from `previousCategory`, the signalements of either
    /// category filed within 50 m in the 90 days after it may recur, or no longer: decides each again,
    /// writes the flags that changed, and gives the rollup changes.
    static func reconsiderNeighbours(
        of signalement: Signalement, previousCategory: String,
        _ db: any SQLDatabase
    ) async throws -> [IndicatorCell: IndicatorMeasures] {
        guard let location = signalement.location, let cells = GroundDistance.cells(around: location, meters: radius) else { return [:] }
        var changes: [IndicatorCell: IndicatorMeasures] = [:]
        let rows = try await db.select()
            .columns("id", "category_id", "territory_id", "partner_id", "lat", "long", "created_at", "recurring").from("signalements")
            .where("category_id", .in, [previousCategory, signalement.categoryId]).where("cell", .in, cells)
            .where("created_at", .greaterThanOrEqual, signalement.createdAt).where("created_at", .lessThanOrEqual, signalement.createdAt + window)
            .where("id", .notEqual, signalement.id).orderBy("created_at").all()
        for row in rows {
            let position = Position(long: try row.decode(column: "long", as: Double.self), lat: try row.decode(column: "lat", as: Double.self))
            guard GroundDistance.meters(location, position) <= radius else { continue }
            let id = try row.decode(column: "id", as: String.self), categoryId = try row.decode(column: "category_id", as: String.self)
            let createdAt = try row.decode(column: "created_at", as: Int64.self)
            let was = try row.decode(column: "recurring", as: Int.self) != 0
            let now = try await recurs(categoryId: categoryId, location: position, filedAt: createdAt, excluding: id, db)
            guard now != was else { continue }
            try await db.update("signalements").set("recurring", to: now ? 1 : 0).where("id", .equal, id).run()
            var measures = IndicatorMeasures()
            measures.recurring = now ? 1 : -1
            changes[
                IndicatorCell(
                    day: ParisPeriods.day(ofMilliseconds: createdAt), categoryId: categoryId,
                    territoryId: try row.decode(column: "territory_id", as: String?.self) ?? "",
                    partnerId: try row.decode(column: "partner_id", as: String?.self) ?? ""), default: .init()] += measures
        }
        return changes
    }

    /// A filing as the in-memory rule sees it (the backfill and the history seeder).
    package struct Filing {
        var id: String
        var categoryId: String
        var location: Position?
        var filedAt: Int64

        package init(id: String, categoryId: String, location: Position?, filedAt: Int64) {
            self.id = id
            self.categoryId = categoryId
            self.location = location
            self.filedAt = filedAt
        }
    }

    /// Filings by grid cell, fed in the order filed: `file` says whether a filing recurs, then keeps it.
    package struct Grid {
        private var byCell: [Int64: [Filing]] = [:]

        package init() {}

        package mutating func file(_ filing: Filing) -> Bool {
            guard let location = filing.location else { return false }
            let cells = GroundDistance.cells(around: location, meters: Recurrence.radius) ?? []
            let found = cells.contains { cell in
                (byCell[cell] ?? []).contains { other in
                    other.categoryId == filing.categoryId && other.filedAt >= filing.filedAt - Recurrence.window
                        && GroundDistance.meters(location, other.location!) <= Recurrence.radius
                }
            }
            let cell = GroundDistance.cell(of: location)
            var bucket = byCell.removeValue(forKey: cell) ?? []
            bucket.removeAll { $0.filedAt < filing.filedAt - Recurrence.window }
            bucket.append(filing)
            byCell[cell] = bucket
            return found
        }
    }
}
