/// A WGS84 position, GeoJSON order (longitude first). Altitude is not kept.
public struct Position: Sendable, Equatable, Hashable {
    public var long: Double
    public var lat: Double

    public init(long: Double, lat: Double) {
        self.long = long
        self.lat = lat
    }
}

/// The smallest longitude/latitude rectangle holding a geometry.
public struct BoundingBox: Sendable, Equatable, Hashable {
    public var minLong: Double
    public var minLat: Double
    public var maxLong: Double
    public var maxLat: Double

    public init(minLong: Double, minLat: Double, maxLong: Double, maxLat: Double) {
        self.minLong = minLong
        self.minLat = minLat
        self.maxLong = maxLong
        self.maxLat = maxLat
    }

    /// Whether the two rectangles share a point, allowing `margin` (degrees) between them.
    public func intersects(_ other: BoundingBox, margin: Double = 0) -> Bool {
        minLong <= other.maxLong + margin && other.minLong <= maxLong + margin
            && minLat <= other.maxLat + margin && other.minLat <= maxLat + margin
    }

    /// Whether `point` lies inside the rectangle or on its edge.
    public func contains(_ point: Position) -> Bool {
        point.long >= minLong && point.long <= maxLong && point.lat >= minLat && point.lat <= maxLat
    }
}

/// A GeoJSON area (RFC 7946): a Polygon or a MultiPolygon.
///
/// A polygon is a list of closed linear rings: the first is the exterior, the others are holes.
/// Build one from client input with `parse(json:field:maxVertices:)`, which checks every rule.
public enum AreaGeometry: Sendable, Equatable {
    case polygon([[Position]])
    case multiPolygon([[[Position]]])

    /// The polygons of the area: one for a Polygon, all of them for a MultiPolygon.
    public var polygons: [[[Position]]] {
        switch self {
        case .polygon(let rings): [rings]
        case .multiPolygon(let polygons): polygons
        }
    }

    /// The number of positions, closing positions included (as stored in GeoJSON).
    public var vertexCount: Int {
        polygons.reduce(0) { total, rings in rings.reduce(total) { $0 + $1.count } }
    }

    /// The bounding box of all positions; all zeros for an empty geometry.
    public var boundingBox: BoundingBox {
        var box: BoundingBox?
        for rings in polygons {
            for ring in rings {
                for position in ring {
                    guard var current = box else {
                        box = BoundingBox(minLong: position.long, minLat: position.lat, maxLong: position.long, maxLat: position.lat)
                        continue
                    }
                    current.minLong = min(current.minLong, position.long)
                    current.minLat = min(current.minLat, position.lat)
                    current.maxLong = max(current.maxLong, position.long)
                    current.maxLat = max(current.maxLat, position.lat)
                    box = current
                }
            }
        }
        return box ?? BoundingBox(minLong: 0, minLat: 0, maxLong: 0, maxLat: 0)
    }

    /// Approximate planar area in square degrees: exteriors minus holes (shoelace formula).
    ///
    /// Not a surface in m²: only meant to compare areas that lie close together,
    /// e.g. to choose the most specific (smallest) territory containing a point.
    public var area: Double {
        polygons.reduce(0) { total, rings in
            guard let exterior = rings.first else { return total }
            let holes = rings.dropFirst().reduce(0) { $0 + Self.ringArea($1) }
            return total + max(0, Self.ringArea(exterior) - holes)
        }
    }

    /// Canonical compact GeoJSON text: `{"type":…,"coordinates":…}`, numbers in shortest round-trip form.
    public var geoJSON: String {
        switch self {
        case .polygon(let rings):
            "{\"type\":\"Polygon\",\"coordinates\":\(Self.json(rings))}"
        case .multiPolygon(let polygons):
            "{\"type\":\"MultiPolygon\",\"coordinates\":[\(polygons.map(Self.json).joined(separator: ","))]}"
        }
    }

    private static func json(_ rings: [[Position]]) -> String {
        let text = rings.map { ring in
            "[" + ring.map { "[\(json($0.long)),\(json($0.lat))]" }.joined(separator: ",") + "]"
        }
        return "[" + text.joined(separator: ",") + "]"
    }

    /// Swift's shortest round-trip decimal form (`48.1`, `-1.6`, `1e-05`) is valid JSON for finite values.
    private static func json(_ number: Double) -> String {
        number.isFinite ? "\(number)" : "null"
    }

    /// Absolute area of one ring by the shoelace formula, in square degrees.
    static func ringArea(_ ring: [Position]) -> Double {
        guard ring.count >= 3 else { return 0 }
        var twice = 0.0
        var previous = ring[ring.count - 1]
        for position in ring {
            twice += previous.long * position.lat - position.long * previous.lat
            previous = position
        }
        return abs(twice) / 2
    }
}
