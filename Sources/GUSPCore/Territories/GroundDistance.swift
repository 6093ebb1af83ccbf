import Foundation

/// Distances on the ground between WGS84 positions.
package enum GroundDistance {
    static let earthRadius = 6_371_008.8

    /// The great-circle distance in metres (haversine).
    static func meters(_ a: Position, _ b: Position) -> Double {
        let radians = Double.pi / 180
        let dLat = (b.lat - a.lat) * radians, dLong = (b.long - a.long) * radians
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(a.lat * radians) * cos(b.lat * radians) * sin(dLong / 2) * sin(dLong / 2)
        return 2 * earthRadius * asin(min(1, h.squareRoot()))
    }

    /// The grid cell of a point: 0.001° of latitude by 0.001° of longitude (about 111 m × 79 m in
    /// France), as one integer, so that "near here" is an indexed lookup of a few cells.
    package static func cell(of point: Position) -> Int64 {
        let row = Int64((point.lat * 1000).rounded(.down)) + 90_000
        let column = Int64((point.long * 1000).rounded(.down)) + 180_000
        return row * 1_000_000 + column
    }

    /// The cells a circle of `meters` around `center` touches, or nil when they are too many to list
    /// (a radius of kilometres): then the caller asks the rows of cells of the box (`cellRanges`).
    static func cells(around center: Position, meters: Double, limit: Int = 64) -> [Int64]? {
        cells(in: box(around: center, meters: meters), limit: limit)
    }

    /// The cells a bounding box touches (every point inside it lies in one of them), or nil when they
    /// are more than `limit`.
    static func cells(in box: BoundingBox, limit: Int) -> [Int64]? {
        guard box.minLat <= box.maxLat, box.minLong <= box.maxLong else { return nil }
        let rows = Int64((box.minLat * 1000).rounded(.down))...Int64((box.maxLat * 1000).rounded(.down))
        let columns = Int64((box.minLong * 1000).rounded(.down))...Int64((box.maxLong * 1000).rounded(.down))
        guard rows.count * columns.count <= limit else { return nil }
        return rows.flatMap { row in columns.map { (row + 90_000) * 1_000_000 + $0 + 180_000 } }
    }

    /// The cells a bounding box touches as one range of cell numbers per 0.001° row of the grid (a row's
    /// cells are consecutive numbers), or nil when the box is more than `maximumRows` rows tall or turned
    /// over. Every point inside the box lies in one of them.
    static func cellRanges(in box: BoundingBox, maximumRows: Int = 400) -> [ClosedRange<Int64>]? {
        guard box.minLat <= box.maxLat, box.minLong <= box.maxLong else { return nil }
        let rows = Int64((box.minLat * 1000).rounded(.down))...Int64((box.maxLat * 1000).rounded(.down))
        guard rows.count <= maximumRows else { return nil }
        let first = Int64((box.minLong * 1000).rounded(.down)) + 180_000, last = Int64((box.maxLong * 1000).rounded(.down)) + 180_000
        return rows.map { row in ((row + 90_000) * 1_000_000 + first)...((row + 90_000) * 1_000_000 + last) }
    }

    /// A box holding every point within `meters` of `center` (for an indexed first filter).
    static func box(around center: Position, meters: Double) -> BoundingBox {
        let dLat = meters / earthRadius * 180 / .pi
        let dLong = dLat / max(cos(center.lat * .pi / 180), 0.01)
        return BoundingBox(minLong: center.long - dLong, minLat: center.lat - dLat, maxLong: center.long + dLong, maxLat: center.lat + dLat)
    }
}
