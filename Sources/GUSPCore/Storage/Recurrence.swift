import Foundation
import SQLKit

/// Recurrence: a signalement recurs when an earlier signalement of the same category was filed within
/// 50 m of it in the 90 days before it (whatever became of that one). Decided when it is filed, and
/// again when its category is corrected; counted by the `recurrence_rate` indicator.
enum Recurrence {
    static let radius = 50.0
    static let window: Int64 = 90 * 86_400_000

    /// Whether a signalement of `categoryId` at `location` filed at `filedAt` recurs, through the index
    /// of grid cells (`signalements_nearby`).
    static func recurs(categoryId: String, location: Position?, filedAt: Int64, excluding id: String,
                       _ db: any SQLDatabase) async throws -> Bool {
        guard let location, let cells = GroundDistance.cells(around: location, meters: radius) else { return false }
        let rows = try await db.select().columns("id", "lat", "long").from("signalements")
            .where("category_id", .equal, categoryId).where("cell", .in, cells)
            .where("created_at", .greaterThanOrEqual, filedAt - window).where("created_at", .lessThanOrEqual, filedAt)
            .where("id", .notEqual, id).limit(1_000).all()
        for row in rows {
            let other = Position(long: try row.decode(column: "long", as: Double.self), lat: try row.decode(column: "lat", as: Double.self))
            if GroundDistance.meters(location, other) <= radius { return true }
        }
        return false
    }

    /// Which of `filings` (in the order filed) recur among themselves and `earlier` ones: the same rule in
    /// memory, for the migration's backfill and the history seeder.
    struct Filing {
        var id: String
        var categoryId: String
        var location: Position?
        var filedAt: Int64
    }

    static func recurring(_ filings: [Filing]) -> Set<String> {
        var grid = Grid()
        var result = Set<String>()
        for filing in filings.sorted(by: { ($0.filedAt, $0.id) < ($1.filedAt, $1.id) }) where grid.file(filing) {
            result.insert(filing.id)
        }
        return result
    }

    /// Filings by grid cell, fed in the order filed: `file` says whether a filing recurs, then keeps it.
    struct Grid {
        private var byCell: [Int64: [Filing]] = [:]

        mutating func file(_ filing: Filing) -> Bool {
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
