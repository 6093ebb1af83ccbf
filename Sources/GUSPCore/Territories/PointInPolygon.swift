extension AreaGeometry {
    /// Whether `point` lies inside the area: inside the exterior ring of some polygon
    /// and inside none of that polygon's holes (even-odd ray casting per ring).
    ///
    /// Points exactly on an edge may fall either way. Each polygon is first rejected
    /// cheaply when the point is outside the bounding box of its exterior ring.
    public func contains(_ point: Position) -> Bool {
        for rings in polygons {
            guard let exterior = rings.first,
                Self.box(of: exterior).contains(point),
                Self.ring(exterior, contains: point)
            else { continue }
            if !rings.dropFirst().contains(where: { Self.ring($0, contains: point) }) {
                return true
            }
        }
        return false
    }

    /// Even-odd rule: a horizontal ray from `point` crosses the ring's edges an odd number of times.
    static func ring(_ ring: [Position], contains point: Position) -> Bool {
        guard ring.count >= 3 else { return false }
        var inside = false
        var previous = ring[ring.count - 1]
        for current in ring {
            if (current.lat > point.lat) != (previous.lat > point.lat) {
                let crossingLong =
                    (previous.long - current.long) * (point.lat - current.lat)
                    / (previous.lat - current.lat) + current.long
                if point.long < crossingLong { inside.toggle() }
            }
            previous = current
        }
        return inside
    }

    private static func box(of ring: [Position]) -> BoundingBox {
        var box = BoundingBox(minLong: .infinity, minLat: .infinity, maxLong: -.infinity, maxLat: -.infinity)
        for position in ring {
            box.minLong = min(box.minLong, position.long)
            box.minLat = min(box.minLat, position.lat)
            box.maxLong = max(box.maxLong, position.long)
            box.maxLat = max(box.maxLat, position.lat)
        }
        return box
    }
}
