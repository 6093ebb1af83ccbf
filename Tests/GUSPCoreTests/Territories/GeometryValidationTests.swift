import Foundation
import Testing

@testable import GUSPCore

/// One invalid geometry and the error path and message fragment it must produce.
struct InvalidGeometry: Sendable, CustomTestStringConvertible {
    let json: String
    let field: String
    let fragment: String
    var testDescription: String { "\(field): \(fragment)" }

    init(_ json: String, _ field: String, _ fragment: String) {
        self.json = json
        self.field = field
        self.fragment = fragment
    }
}

private let ring = "[[0,0],[1,0],[1,1],[0,0]]"

@Suite("Area geometry validation")
struct GeometryValidationTests {
    static let brokenGeometries: [InvalidGeometry] = [
        InvalidGeometry("not json", "geometry", "valid JSON"),
        InvalidGeometry("[1, 2]", "geometry", "object"),
        InvalidGeometry(#"{"coordinates":[]}"#, "geometry.type", "is required"),
        InvalidGeometry(#"{"type":"Point","coordinates":[1,2]}"#, "geometry.type", "not \"Point\""),
        InvalidGeometry(#"{"type":"polygon","coordinates":[]}"#, "geometry.type", "\"Polygon\" or \"MultiPolygon\""),
        InvalidGeometry(#"{"type":"Feature","properties":{},"geometry":null}"#, "geometry", "bare GeoJSON geometry"),
        InvalidGeometry(#"{"type":"FeatureCollection","features":[]}"#, "geometry", "bare GeoJSON geometry"),
        InvalidGeometry(#"{"type":"Polygon"}"#, "geometry.coordinates", "is required"),
        InvalidGeometry(#"{"type":"Polygon","coordinates":null}"#, "geometry.coordinates", "array of linear rings"),
        InvalidGeometry(#"{"type":"Polygon","coordinates":[]}"#, "geometry.coordinates", "at least one linear ring"),
        InvalidGeometry(#"{"type":"Polygon","coordinates":["x"]}"#, "geometry.coordinates[0]", "array of positions"),
        InvalidGeometry(#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#, "geometry.coordinates[0]", "at least 4 positions"),
        InvalidGeometry(#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#, "geometry.coordinates[0]", "closed"),
        InvalidGeometry(#"{"type":"Polygon","coordinates":[\#(ring),[[0,0],[1,0],[0,0]]]}"#, "geometry.coordinates[1]", "at least 4"),
        InvalidGeometry(#"{"type":"Polygon","coordinates":[[[0,0],[1],[1,1],[0,0]]]}"#, "geometry.coordinates[0][1]", "2 or 3 numbers"),
        InvalidGeometry(#"{"type":"Polygon","coordinates":[[[0,0],[1,0,0,0],[1,1],[0,0]]]}"#, "geometry.coordinates[0][1]", "2 or 3 numbers"),
        InvalidGeometry(#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],7]]}"#, "geometry.coordinates[0][3]", "2 or 3 numbers"),
        InvalidGeometry(#"{"type":"Polygon","coordinates":[[[0,0],[1,0],["1",1],[0,0]]]}"#, "geometry.coordinates[0][2]", "finite numbers"),
        InvalidGeometry(#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[true,1],[0,0]]]}"#, "geometry.coordinates[0][2]", "finite numbers"),
        InvalidGeometry(#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,null],[0,0]]]}"#, "geometry.coordinates[0][2]", "finite numbers"),
        InvalidGeometry(#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1,"high"],[0,0]]]}"#, "geometry.coordinates[0][2]", "finite numbers"),
        InvalidGeometry(#"{"type":"Polygon","coordinates":[[[0,0],[180.5,0],[1,1],[0,0]]]}"#, "geometry.coordinates[0][1]", "longitude"),
        InvalidGeometry(#"{"type":"Polygon","coordinates":[[[0,0],[1,-90.01],[1,1],[0,0]]]}"#, "geometry.coordinates[0][1]", "latitude"),
        InvalidGeometry(#"{"type":"MultiPolygon","coordinates":[]}"#, "geometry.coordinates", "at least one polygon"),
        InvalidGeometry(#"{"type":"MultiPolygon","coordinates":[[]]}"#, "geometry.coordinates[0]", "at least one linear ring"),
        InvalidGeometry(
            #"{"type":"MultiPolygon","coordinates":[[\#(ring)],[[[0,0],[1,0],[1,91],[0,0]]]]}"#, "geometry.coordinates[1][0][2]", "latitude"),
    ]

    @Test("each broken rule is reported with its path", arguments: Self.brokenGeometries)
    func invalid(_ example: InvalidGeometry) {
        let failure = #expect(throws: ValidationFailure.self) { try AreaGeometry.parse(json: Data(example.json.utf8)) }
        #expect(failure?.errors.count == 1)
        #expect(failure?.errors.first?.field == example.field)
        #expect(failure?.errors.first?.message.contains(example.fragment) == true, "\(String(describing: failure))")
    }

    @Test("the field name prefixes every path")
    func fieldPrefix() {
        let json = #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#
        let failure = #expect(throws: ValidationFailure.self) { try AreaGeometry.parse(json: Data(json.utf8), field: "zone.area") }
        #expect(failure?.errors.first?.field == "zone.area.coordinates[0]")
    }

    @Test("too many vertices in all are refused")
    func maxVertices() throws {
        let json = #"{"type":"MultiPolygon","coordinates":[[\#(ring)],[\#(ring)]]}"#
        #expect(try AreaGeometry.parse(json: Data(json.utf8), maxVertices: 8).vertexCount == 8)
        let failure = #expect(throws: ValidationFailure.self) { try AreaGeometry.parse(json: Data(json.utf8), maxVertices: 7) }
        #expect(failure?.errors.first?.field == "geometry.coordinates")
        #expect(failure?.errors.first?.message.contains("at most 7") == true)
    }

    @Test("numbers too large for a Double are refused")
    func hugeNumber() {
        let json = #"{"type":"Polygon","coordinates":[[[0,0],[1e400,0],[1,1],[0,0]]]}"#
        let failure = #expect(throws: ValidationFailure.self) { try AreaGeometry.parse(json: Data(json.utf8)) }
        #expect(failure?.errors.map(\.field) == ["geometry"])
        #expect(failure?.errors.first?.message == "must be valid JSON")
    }

    @Test("altitude is ignored, integers and boundary coordinates are accepted")
    func lenientButValid() throws {
        let json = #"{"type":"Polygon","coordinates":[[[-180,-90,3],[180,-90,3.5],[180,90],[-180,-90,0]]],"bbox":[0,0,1,1]}"#
        let area = try AreaGeometry.parse(json: Data(json.utf8))
        #expect(
            area
                == .polygon([
                    [Position(long: -180, lat: -90), Position(long: 180, lat: -90), Position(long: 180, lat: 90), Position(long: -180, lat: -90)]
                ]))
    }
}
