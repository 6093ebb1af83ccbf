import Foundation
import GUSPTestSupport
import Testing

@testable import GUSPCore

/// The real contours of Rennes' five QPVs (2015 generation), in Tests/Fixtures.
private struct RennesQPVs {
    let geometries: [String: AreaGeometry]

    static func load() throws -> RennesQPVs {
        let url = TestData.rennesQPVs
        try #require(FileManager.default.fileExists(atPath: url.path), "missing test data \(url.path): the Rennes QPV sample is required")
        let collection = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let features = try #require(collection["features"] as? [[String: Any]])
        var geometries: [String: AreaGeometry] = [:]
        for feature in features {
            let code = try #require((feature["properties"] as? [String: Any])?["code"] as? String)
            let geometry = try #require(feature["geometry"])
            let data = try JSONSerialization.data(withJSONObject: geometry)
            geometries[code] = try AreaGeometry.parse(json: data, field: "territories[\(code)].geometry")
        }
        return RennesQPVs(geometries: geometries)
    }

    func codes(containing point: Position) -> [String] {
        geometries.filter { $0.value.contains(point) }.map(\.key).sorted()
    }
}

@Suite("Area geometry")
struct GeometryTests {
    /// A 10 × 10 square with a 2 × 2 hole in its middle.
    static let squareWithHole = AreaGeometry.polygon([
        [Position(long: 0, lat: 0), Position(long: 10, lat: 0), Position(long: 10, lat: 10), Position(long: 0, lat: 10), Position(long: 0, lat: 0)],
        [Position(long: 4, lat: 4), Position(long: 4, lat: 6), Position(long: 6, lat: 6), Position(long: 6, lat: 4), Position(long: 4, lat: 4)],
    ])

    @Test("the five Rennes QPVs parse, with 443 vertices in all")
    func rennesSample() throws {
        let sample = try RennesQPVs.load()
        #expect(sample.geometries.keys.sorted() == ["QP035002", "QP035003", "QP035004", "QP035005", "QP035006"])
        #expect(sample.geometries.values.reduce(0) { $0 + $1.vertexCount } == 443)
        #expect(sample.geometries["QP035002"]?.vertexCount == 129)
        for geometry in sample.geometries.values {
            guard case .multiPolygon = geometry else {
                Issue.record("expected a MultiPolygon")
                continue
            }
        }
    }

    @Test(
        "a point well inside each QPV is in that QPV only",
        arguments: [
            ("QP035002", -1.7114, 48.1218),  // Villejean
            ("QP035003", -1.6883, 48.0850),  // Les Clôteaux - Champs Manceaux
            ("QP035004", -1.6623, 48.1260),  // Maurepas
            ("QP035005", -1.6543, 48.0879),  // Le Blosne
            ("QP035006", -1.7082, 48.1009),  // Cleunay
        ])
    func insideOneQPV(code: String, long: Double, lat: Double) throws {
        let sample = try RennesQPVs.load()
        #expect(sample.codes(containing: Position(long: long, lat: lat)) == [code])
    }

    @Test(
        "points in a QPV's bounding box but outside its contour are in no QPV",
        arguments: [
            ("QP035002", -1.7182, 48.1161), ("QP035003", -1.6957, 48.0941), ("QP035004", -1.6535, 48.1232),
            ("QP035005", -1.6452, 48.0846), ("QP035006", -1.7036, 48.1003),
        ])
    func insideBoxOutsideContour(code: String, long: Double, lat: Double) throws {
        let sample = try RennesQPVs.load()
        let point = Position(long: long, lat: lat)
        #expect(try #require(sample.geometries[code]).boundingBox.contains(point))
        #expect(sample.codes(containing: point).isEmpty)
    }

    @Test("Rennes city hall and (0, 0) are in no QPV")
    func outsideAll() throws {
        let sample = try RennesQPVs.load()
        #expect(sample.codes(containing: Position(long: -1.6794, lat: 48.1113)).isEmpty)
        #expect(sample.codes(containing: Position(long: 0, lat: 0)).isEmpty)
    }

    @Test("bounding box and area of the real contours")
    func boxAndArea() throws {
        let sample = try RennesQPVs.load()
        let villejean = try #require(sample.geometries["QP035002"])
        #expect(
            villejean.boundingBox
                == BoundingBox(minLong: -1.718417752731604, minLat: 48.11597691088166, maxLong: -1.704753108226438, maxLat: 48.12456923802725))
        #expect(abs(villejean.area - 5.5729004e-05) < 1e-11)
        let bySize = sample.geometries.sorted { $0.value.area < $1.value.area }.map(\.key)
        #expect(bySize.first == "QP035006")  // Cleunay is the smallest
        #expect(bySize.last == "QP035005")  // Le Blosne is the largest
    }

    @Test("geoJSON is canonical and parses back to the same geometry")
    func geoJSONRoundTrip() throws {
        let sample = try RennesQPVs.load()
        for geometry in sample.geometries.values {
            #expect(try AreaGeometry.parse(json: Data(geometry.geoJSON.utf8)) == geometry)
        }
        let square = AreaGeometry.polygon([
            [Position(long: 0, lat: 0), Position(long: 1.5, lat: 0), Position(long: 1.5, lat: -2), Position(long: 0, lat: 0)]
        ])
        #expect(square.geoJSON == #"{"type":"Polygon","coordinates":[[[0.0,0.0],[1.5,0.0],[1.5,-2.0],[0.0,0.0]]]}"#)
        let multi = AreaGeometry.multiPolygon(square.polygons + square.polygons)
        #expect(multi.geoJSON.hasPrefix(#"{"type":"MultiPolygon","coordinates":[[[[0.0,0.0],"#))
        #expect(try AreaGeometry.parse(json: Data(multi.geoJSON.utf8)) == multi)
    }

    @Test("a point in a hole is outside; holes are subtracted from the area")
    func hole() {
        let area = Self.squareWithHole
        #expect(area.contains(Position(long: 2, lat: 2)))
        #expect(area.contains(Position(long: 5, lat: 7)))
        #expect(!area.contains(Position(long: 5, lat: 5)))
        #expect(!area.contains(Position(long: 11, lat: 5)))
        #expect(!area.contains(Position(long: -0.5, lat: 5)))
        #expect(area.area == 96)
        #expect(area.vertexCount == 10)
        #expect(area.boundingBox == BoundingBox(minLong: 0, minLat: 0, maxLong: 10, maxLat: 10))
    }

    @Test("a multipolygon contains the points of any of its polygons")
    func multiPolygon() throws {
        let json =
            #"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],[[[5,5,12.5],[6,5,12.5],[6,6,12.5],[5,6,12.5],[5,5,12.5]]]]}"#
        let area = try AreaGeometry.parse(json: Data(json.utf8))
        #expect(area.contains(Position(long: 0.5, lat: 0.5)))
        #expect(area.contains(Position(long: 5.5, lat: 5.5)))
        #expect(!area.contains(Position(long: 3, lat: 3)))
        #expect(area.area == 2)
        #expect(area.boundingBox == BoundingBox(minLong: 0, minLat: 0, maxLong: 6, maxLat: 6))
    }
}
