extension AreaGeometry {
    /// Whether `other` lies within this area (its boundary may touch this one's): every vertex and the
    /// middle of every edge of `other` inside this area or on its boundary, no edge of `other` crossing an
    /// edge of this area, and no hole of this area inside `other`. Planar, in degrees, like `contains`.
    ///
    /// This is what keeps the reference data honest: a sector must lie within its QPV, a land parcel
    /// within territories its author and its partner hold (see `TerritoryContours`).
    func covers(_ other: AreaGeometry) -> Bool {
        let box = boundingBox
        let inner = other.boundingBox
        guard inner.minLong >= box.minLong, inner.maxLong <= box.maxLong, inner.minLat >= box.minLat, inner.maxLat <= box.maxLat
        else { return false }
        // Only this area's edges near `other` matter (an official contour has thousands of vertices).
        let edges = Self.edges(of: self).filter { Self.box($0).intersects(inner, margin: Self.boundaryTolerance) }
        let otherEdges = Self.edges(of: other)
        let vertices = edges.flatMap { [$0.0, $0.1] }
        for (start, end) in otherEdges {
            if edges.contains(where: { Self.cross(start, end, $0.0, $0.1) }) { return false }
            // The edge cut at every vertex of this area lying on it: each piece's middle must be inside or
            // on the boundary (an edge running through the two lips of a bay crosses the bay).
            var cuts: [Double] = [0, 1]
            for vertex in vertices where Self.distance(vertex, toSegment: start, end) <= Self.boundaryTolerance {
                cuts.append(Self.parameter(of: vertex, on: start, end))
            }
            cuts.sort()
            for (from, to) in zip(cuts, cuts.dropFirst()) where to - from > 1e-12 {
                let t = (from + to) / 2
                let middle = Position(long: start.long + (end.long - start.long) * t, lat: start.lat + (end.lat - start.lat) * t)
                if !contains(middle), !Self.lies(middle, onAnyOf: edges) { return false }
            }
            if !contains(start), !Self.lies(start, onAnyOf: edges) { return false }
        }
        // No vertex of this area (exterior or hole) strictly inside `other`: a part of the outside, or a
        // hole, would be inside it.
        for vertex in vertices where other.contains(vertex) && !Self.lies(vertex, onAnyOf: otherEdges) { return false }
        return true
    }

    private static func box(_ edge: (Position, Position)) -> BoundingBox {
        BoundingBox(
            minLong: min(edge.0.long, edge.1.long), minLat: min(edge.0.lat, edge.1.lat),
            maxLong: max(edge.0.long, edge.1.long), maxLat: max(edge.0.lat, edge.1.lat))
    }

    private static func parameter(of point: Position, on start: Position, _ end: Position) -> Double {
        let (dx, dy) = (end.long - start.long, end.lat - start.lat)
        let length = dx * dx + dy * dy
        return length == 0 ? 0 : max(0, min(1, ((point.long - start.long) * dx + (point.lat - start.lat) * dy) / length))
    }

    /// Distances below this (in degrees, about a centimetre) count as on the boundary.
    static let boundaryTolerance = 1e-7

    private static func edges(of area: AreaGeometry) -> [(Position, Position)] {
        var edges: [(Position, Position)] = []
        for rings in area.polygons {
            for ring in rings where ring.count >= 2 {
                for index in 1..<ring.count { edges.append((ring[index - 1], ring[index])) }
            }
        }
        return edges
    }

    private static func lies(_ point: Position, onAnyOf edges: [(Position, Position)]) -> Bool {
        edges.contains { distance(point, toSegment: $0.0, $0.1) <= boundaryTolerance }
    }

    private static func distance(_ point: Position, toSegment start: Position, _ end: Position) -> Double {
        let (dx, dy) = (end.long - start.long, end.lat - start.lat)
        let length = dx * dx + dy * dy
        let t = length == 0 ? 0 : max(0, min(1, ((point.long - start.long) * dx + (point.lat - start.lat) * dy) / length))
        let (px, py) = (start.long + t * dx - point.long, start.lat + t * dy - point.lat)
        return (px * px + py * py).squareRoot()
    }

    /// Whether segments a–b and c–d cross at a point inside both (touching at an end or running along
    /// each other is not crossing).
    private static func cross(_ a: Position, _ b: Position, _ c: Position, _ d: Position) -> Bool {
        func side(_ p: Position, _ q: Position, _ r: Position) -> Double {
            (q.long - p.long) * (r.lat - p.lat) - (q.lat - p.lat) * (r.long - p.long)
        }
        // Each side as a distance to the other segment's line, compared with the tolerance.
        let cd = ((d.long - c.long) * (d.long - c.long) + (d.lat - c.lat) * (d.lat - c.lat)).squareRoot()
        let ab = ((b.long - a.long) * (b.long - a.long) + (b.lat - a.lat) * (b.lat - a.lat)).squareRoot()
        guard cd > 0, ab > 0 else { return false }
        let (d1, d2) = (side(c, d, a) / cd, side(c, d, b) / cd)
        let (d3, d4) = (side(a, b, c) / ab, side(a, b, d) / ab)
        let epsilon = boundaryTolerance
        return ((d1 > epsilon && d2 < -epsilon) || (d1 < -epsilon && d2 > epsilon))
            && ((d3 > epsilon && d4 < -epsilon) || (d3 < -epsilon && d4 > epsilon))
    }
}
