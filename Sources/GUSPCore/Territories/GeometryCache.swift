import Foundation
import Synchronization

/// Parsed contours of territories and land parcels, keyed by id and the exact stored text, so that a
/// point lookup does not re-parse a polygon of thousands of vertices per signalement. A changed
/// contour has another text and misses; the cache is bounded and simply emptied when full.
final class GeometryCache: Sendable {
    static let shared = GeometryCache(capacity: 4_096)

    private struct Entry {
        var text: String
        var geometry: AreaGeometry
    }
    private let entries = Mutex<[String: Entry]>([:])
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func geometry(id: String, json text: String) -> AreaGeometry? {
        if let entry = entries.withLock({ $0[id] }), entry.text == text { return entry.geometry }
        guard let parsed = try? AreaGeometry.parse(json: Data(text.utf8), maxVertices: Territory.maximumVertices) else { return nil }
        entries.withLock {
            if $0.count >= capacity { $0.removeAll(keepingCapacity: true) }
            $0[id] = Entry(text: text, geometry: parsed)
        }
        return parsed
    }
}
