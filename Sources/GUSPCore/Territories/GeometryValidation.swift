import Foundation

extension AreaGeometry {
    /// Parses and checks a bare GeoJSON Polygon or MultiPolygon sent by a client.
    ///
    /// Rules: an object with `type` "Polygon" or "MultiPolygon" and `coordinates`; each position
    /// 2 or 3 finite numbers (altitude ignored), longitude in [-180, 180], latitude in [-90, 90];
    /// each ring at least 4 positions and closed; each polygon at least one ring; at most
    /// `maxVertices` positions in total. A Feature or FeatureCollection is refused.
    ///
    /// - Parameter field: the client's name for the geometry, prefix of every error path
    ///   (e.g. `geometry.coordinates[0][3]`).
    /// - Throws: a `ValidationFailure` naming the first offending field.
    public static func parse(json: Data, field: String = "geometry", maxVertices: Int = 100_000) throws(ValidationFailure) -> AreaGeometry {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
        } catch {
            throw ValidationFailure(field: field, message: "must be valid JSON")
        }
        guard let dictionary = object as? [String: Any] else {
            throw ValidationFailure(field: field, message: "must be a GeoJSON geometry object")
        }
        var parser = GeometryParser(field: field, maxVertices: maxVertices)
        return try parser.geometry(dictionary)
    }
}

/// Walks the JSONSerialization tree, counting positions and naming the path of the first error.
private struct GeometryParser {
    let field: String
    let maxVertices: Int
    var vertexCount = 0

    private static let otherGeometryTypes: Set = ["Point", "MultiPoint", "LineString", "MultiLineString", "GeometryCollection"]

    mutating func geometry(_ object: [String: Any]) throws(ValidationFailure) -> AreaGeometry {
        guard let type = object["type"] as? String else {
            throw ValidationFailure(field: "\(field).type", message: "is required and must be \"Polygon\" or \"MultiPolygon\"")
        }
        let path = "\(field).coordinates"
        switch type {
        case "Polygon":
            return .polygon(try polygon(object["coordinates"], path: path))
        case "MultiPolygon":
            let items = try array(object["coordinates"], path: path, of: "polygons")
            guard !items.isEmpty else {
                throw ValidationFailure(field: path, message: "must contain at least one polygon")
            }
            var polygons: [[[Position]]] = []
            for (index, item) in items.enumerated() {
                polygons.append(try polygon(item, path: "\(path)[\(index)]"))
            }
            return .multiPolygon(polygons)
        case "Feature", "FeatureCollection":
            throw ValidationFailure(
                field: field,
                message: "must be a bare GeoJSON geometry (Polygon or MultiPolygon), "
                    + "not a \(type): send the feature's \"geometry\" object")
        case _ where Self.otherGeometryTypes.contains(type):
            throw ValidationFailure(field: "\(field).type", message: "must be \"Polygon\" or \"MultiPolygon\" (an area), not \"\(type)\"")
        default:
            throw ValidationFailure(field: "\(field).type", message: "must be \"Polygon\" or \"MultiPolygon\"")
        }
    }

    private mutating func polygon(_ value: Any?, path: String) throws(ValidationFailure) -> [[Position]] {
        let items = try array(value, path: path, of: "linear rings")
        guard !items.isEmpty else {
            throw ValidationFailure(field: path, message: "must contain at least one linear ring (the exterior)")
        }
        var rings: [[Position]] = []
        for (index, item) in items.enumerated() {
            rings.append(try ring(item, path: "\(path)[\(index)]"))
        }
        return rings
    }

    private mutating func ring(_ value: Any?, path: String) throws(ValidationFailure) -> [Position] {
        let items = try array(value, path: path, of: "positions")
        guard items.count >= 4 else {
            throw ValidationFailure(field: path, message: "must be a linear ring of at least 4 positions, got \(items.count)")
        }
        vertexCount += items.count
        guard vertexCount <= maxVertices else {
            throw ValidationFailure(field: "\(field).coordinates", message: "must have at most \(maxVertices) positions in total")
        }
        var positions: [Position] = []
        positions.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            positions.append(try position(item, path: "\(path)[\(index)]"))
        }
        guard positions.first == positions.last else {
            throw ValidationFailure(field: path, message: "must be closed: its last position must equal its first")
        }
        return positions
    }

    private func position(_ value: Any?, path: String) throws(ValidationFailure) -> Position {
        guard let items = value as? [Any], (2...3).contains(items.count) else {
            throw ValidationFailure(field: path, message: "must be a position: 2 or 3 numbers [longitude, latitude, altitude]")
        }
        let numbers = items.compactMap(Self.number)
        guard numbers.count == items.count, numbers.allSatisfy(\.isFinite) else {
            throw ValidationFailure(field: path, message: "must contain only finite numbers")
        }
        let (long, lat) = (numbers[0], numbers[1])
        guard (-180.0...180.0).contains(long) else {
            throw ValidationFailure(field: path, message: "must have a longitude (first number) between -180 and 180")
        }
        guard (-90.0...90.0).contains(lat) else {
            throw ValidationFailure(field: path, message: "must have a latitude (second number) between -90 and 90")
        }
        return Position(long: long, lat: lat)
    }

    private func array(_ value: Any?, path: String, of what: String) throws(ValidationFailure) -> [Any] {
        guard let value else {
            throw ValidationFailure(field: path, message: "is required")
        }
        guard let items = value as? [Any] else {
            throw ValidationFailure(field: path, message: "must be an array of \(what)")
        }
        return items
    }

    /// A JSON number as a Double; `nil` for anything else, booleans included
    /// (JSONSerialization returns them as NSNumber too, with type code "c").
    private static func number(_ value: Any) -> Double? {
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
        // On Linux, long decimals come as NSDecimalNumber, whose doubleValue can be 1 ulp off
        // (-1.718417752731604 → -1.7184177527316038): convert its exact text instead.
        if let decimal = number as? NSDecimalNumber, let exact = Double(decimal.stringValue) {
            return exact
        }
        return number.doubleValue
    }
}
