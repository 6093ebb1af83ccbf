import Foundation
import GUSPCore

/// Files under `Tests/Fixtures`, shipped with the repository.
public enum TestData {
    public static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The real contours of Rennes' five QPVs (2015 generation); see `Tests/Fixtures/README.md`.
    /// The bytes of a fixture file.
    public static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    public static var rennesQPVs: URL { directory.appendingPathComponent("qpv-sample.geojson") }

    /// The features of the Rennes sample: (code, name, geometry as JSON bytes).
    public static func rennesFeatures() throws -> [(code: String, name: String, geometry: Data)] {
        let collection = try JSONSerialization.jsonObject(with: Data(contentsOf: rennesQPVs)) as? [String: Any]
        return try (collection?["features"] as? [[String: Any]] ?? []).map { feature in
            let properties = feature["properties"] as? [String: Any] ?? [:]
            return (
                properties["code"] as? String ?? "", properties["name"] as? String ?? "",
                try JSONSerialization.data(withJSONObject: feature["geometry"] ?? [:])
            )
        }
    }
}

/// The fields a command's validation failure names; empty when the command succeeds.
public func invalidFields<T>(_ command: () async throws -> T) async throws -> [String] {
    do {
        _ = try await command()
        return []
    } catch let failure as ValidationFailure {
        return failure.errors.map(\.field)
    }
}
