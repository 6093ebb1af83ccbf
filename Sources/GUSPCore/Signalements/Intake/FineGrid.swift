import Foundation

/// The in-memory index's grid: cells of 0.0005° (about 56 m by 39 m in France), so that a lookup within
/// 50 m walks about a dozen cells, 170 m by 160 m of signalements, rather than the nine database cells'
/// 330 m by 240 m. (Finer cells cost more in lookups than they save in signalements walked.)
enum FineGrid {
    static let degrees = 0.0005
    /// Past this many cells (a radius of about 600 m), the index does not answer and the database does.
    static let maximumCells = 1_024

    static func cell(of point: Position) -> Int64 {
        row(point.lat) * 10_000_000 + column(point.long)
    }

    /// A cell to walk, with the flat-earth distance (squared, in square metres) from the lookup's
    /// centre to the nearest point of the cell: 0 for the centre's own cell.
    struct Near {
        var cell: Int64
        var squared: Double
    }

    /// The cells within `meters` of `center`, nearest first, so that a lookup which has found what it
    /// keeps can stop at the first cell that is farther (see `Near.squared`).
    static func cells(around center: Position, meters: Double) -> [Near]? {
        // As wide as the first test of a lookup (`Nearness`): no cell it could keep a spot from is left out.
        let box = GroundDistance.box(around: center, meters: meters * 1.001)
        let rows = row(box.minLat)...row(box.maxLat), columns = column(box.minLong)...column(box.maxLong)
        guard rows.count * columns.count <= maximumCells else { return nil }
        let flat = FlatDistance(center)
        var cells: [Near] = []
        cells.reserveCapacity(rows.count * columns.count)
        // A cell's edges a hair wider than `cell(of:)`'s division, so that rounding never puts a spot outside them.
        let slack = 1e-9
        for row in rows {
            let south = Double(row - 450_000) * degrees - slack, north = Double(row - 450_000 + 1) * degrees + slack
            let lat = min(max(center.lat, south), north)
            for column in columns {
                let west = Double(column - 900_000) * degrees - slack, east = Double(column - 900_000 + 1) * degrees + slack
                let long = min(max(center.long, west), east)
                cells.append(Near(cell: row * 10_000_000 + column, squared: flat.squared(to: Position(long: long, lat: lat))))
            }
        }
        cells.sort { $0.squared < $1.squared }
        return cells
    }

    private static func row(_ lat: Double) -> Int64 { Int64((lat / degrees).rounded(.down)) + 450_000 }
    private static func column(_ long: Double) -> Int64 { Int64((long / degrees).rounded(.down)) + 900_000 }
}

/// The flat-earth (equirectangular) distance from a point, squared, in square metres, for a few
/// multiplications: within `reach` of a point at most `latitudes` from the equator it differs from the
/// haversine by under 5 mm (tested), far below the 1 cm and 10 cm margins it is used with.
struct FlatDistance {
    static let reach = 200.0
    static let latitudes = 75.0
    let center: Position
    let metresPerDegree = GroundDistance.earthRadius * .pi / 180
    let longitudeScale: Double

    init(_ center: Position) {
        self.center = center
        longitudeScale = cos(center.lat * .pi / 180)
    }

    func squared(to point: Position) -> Double {
        let north = (point.lat - center.lat) * metresPerDegree
        let east = (point.long - center.long) * metresPerDegree * longitudeScale
        return north * north + east * east
    }
}
