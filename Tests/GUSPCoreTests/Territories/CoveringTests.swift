import GUSPTestSupport
import Testing

@testable import GUSPCore

@Suite("One area lying within another")
struct CoveringTests {
    static func square(_ minLong: Double, _ minLat: Double, _ maxLong: Double, _ maxLat: Double) -> [Position] {
        [
            Position(long: minLong, lat: minLat), Position(long: maxLong, lat: minLat), Position(long: maxLong, lat: maxLat),
            Position(long: minLong, lat: maxLat), Position(long: minLong, lat: minLat),
        ]
    }

    static let parent = AreaGeometry.polygon([square(0, 0, 10, 10)])

    @Test("inside, the same, touching the edge: within; overlapping, outside, around: not")
    func rectangles() {
        #expect(Self.parent.covers(.polygon([Self.square(2, 2, 4, 4)])))
        #expect(Self.parent.covers(Self.parent))
        #expect(Self.parent.covers(.polygon([Self.square(0, 0, 5, 10)])))
        #expect(!Self.parent.covers(.polygon([Self.square(8, 8, 12, 12)])))
        #expect(!Self.parent.covers(.polygon([Self.square(20, 20, 22, 22)])))
        #expect(!Self.parent.covers(.polygon([Self.square(-1, -1, 11, 11)])))
    }

    @Test("a concave parent: a child whose corners are all inside but which spans the notch is not within")
    func concave() {
        // An L: the square 0–10 without its top-right quarter.
        let l = AreaGeometry.polygon([
            [
                Position(long: 0, lat: 0), Position(long: 10, lat: 0), Position(long: 10, lat: 5), Position(long: 5, lat: 5),
                Position(long: 5, lat: 10), Position(long: 0, lat: 10), Position(long: 0, lat: 0),
            ]
        ])
        #expect(l.covers(.polygon([Self.square(1, 1, 4, 9)])))
        let acrossTheNotch = AreaGeometry.polygon([
            [
                Position(long: 4, lat: 9), Position(long: 9, lat: 4), Position(long: 9, lat: 3), Position(long: 3, lat: 9), Position(long: 4, lat: 9),
            ]
        ])
        #expect(!l.covers(acrossTheNotch))
    }

    @Test("an edge running through the two lips of a bay is not within: the bay is outside")
    func bay() {
        // A 20 × 5 strip with a V-shaped bay in its top edge, lips at (4.5, 5) and (5.5, 5), tip at (5, 4).
        let strip = AreaGeometry.polygon([
            [
                Position(long: 0, lat: 0), Position(long: 20, lat: 0), Position(long: 20, lat: 5), Position(long: 5.5, lat: 5),
                Position(long: 5, lat: 4), Position(long: 4.5, lat: 5), Position(long: 0, lat: 5), Position(long: 0, lat: 0),
            ]
        ])
        #expect(!strip.covers(.polygon([Self.square(1, 1, 15, 5)])))
        #expect(!strip.covers(.polygon([Self.square(1, 1, 15, 5 - 5e-8)])))
        #expect(strip.covers(.polygon([Self.square(1, 1, 4, 5)])))
        #expect(strip.covers(.polygon([Self.square(1, 1, 15, 3.9)])))
    }

    @Test("holes: a child around, in or across the parent's hole is not within; one beside it is")
    func holes() {
        let holed = AreaGeometry.polygon([Self.square(0, 0, 10, 10), Self.square(4, 4, 6, 6)])
        #expect(holed.covers(.polygon([Self.square(1, 1, 3, 3)])))
        #expect(!holed.covers(.polygon([Self.square(3, 3, 7, 7)])))
        #expect(!holed.covers(.polygon([Self.square(4.5, 4.5, 5.5, 5.5)])))
        #expect(!holed.covers(.polygon([Self.square(5, 1, 5.5, 9)])))
    }

    @Test("a multipolygon parent: a child within one part is within; one spanning two parts is not")
    func parts() {
        let two = AreaGeometry.multiPolygon([[Self.square(0, 0, 4, 4)], [Self.square(6, 0, 10, 4)]])
        #expect(two.covers(.polygon([Self.square(7, 1, 9, 3)])))
        #expect(!two.covers(.polygon([Self.square(1, 1, 9, 3)])))
        #expect(Self.parent.covers(two))
    }

    @Test("real contours: each Rennes QPV lies within itself, not within another; a small square inside it lies within it")
    func rennes() throws {
        let areas = try TestData.rennesFeatures().map { try AreaGeometry.parse(json: $0.geometry) }
        #expect(areas.count == 5)
        for (index, area) in areas.enumerated() {
            #expect(area.covers(area), "QPV \(index) within itself")
            for (other, otherArea) in areas.enumerated() where other != index {
                #expect(!area.covers(otherArea), "QPV \(other) within QPV \(index)")
            }
        }
        // A square of about 20 m around a point inside the first QPV's first polygon.
        let ring = areas[0].polygons[0][0]
        var inner: Position?
        for step in 1..<200 where inner == nil {
            let t = Double(step) / 200
            let candidate = Position(
                long: ring[0].long * (1 - t) + ring[ring.count / 2].long * t,
                lat: ring[0].lat * (1 - t) + ring[ring.count / 2].lat * t)
            let square = AreaGeometry.polygon([
                Self.square(
                    candidate.long - 0.0001, candidate.lat - 0.0001,
                    candidate.long + 0.0001, candidate.lat + 0.0001)
            ])
            if areas[0].covers(square) { inner = candidate }
        }
        #expect(inner != nil, "no small square found within the first QPV")
    }
}
