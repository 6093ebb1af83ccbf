import Foundation

/// A walk's route: a GeoJSON LineString (RFC 7946) of 2 to 5,000 positions in WGS84, kept as compact
/// JSON text.
enum WalkRoute {
    static let maximumPositions = 5_000

    static func normalised(_ bytes: [UInt8], field: String = "route") throws(ValidationFailure) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw ValidationFailure(field: field, message: "must be a GeoJSON LineString")
        }
        guard object["type"] as? String == "LineString", let coordinates = object["coordinates"] as? [Any] else {
            throw ValidationFailure(field: field, message: "must be a GeoJSON LineString")
        }
        guard (2...maximumPositions).contains(coordinates.count) else {
            throw ValidationFailure(field: field + ".coordinates", message: "must hold 2 to \(maximumPositions) positions")
        }
        var positions: [[Double]] = []
        for (index, item) in coordinates.enumerated() {
            guard let pair = item as? [Any], pair.count == 2 || pair.count == 3,
                let long = (pair[0] as? NSNumber)?.doubleValue, let lat = (pair[1] as? NSNumber)?.doubleValue,
                (-180...180).contains(long), (-90...90).contains(lat), !(pair[0] is Bool), !(pair[1] is Bool)
            else {
                throw ValidationFailure(field: field + ".coordinates[\(index)]", message: "must be [longitude, latitude] in degrees")
            }
            positions.append([long, lat])
        }
        let data = try? JSONSerialization.data(withJSONObject: ["type": "LineString", "coordinates": positions], options: [.sortedKeys])
        return String(decoding: data ?? Data(), as: UTF8.self)
    }
}
