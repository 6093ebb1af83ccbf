import Foundation
import GUSPDatabase
import SQLKit
import Synchronization

/// The located signalements of the last 90 days (or of the duplicate window, if longer), in memory, by
/// grid cell and category: what "possible duplicates" (the open ones of the duplicate window) and
/// recurrence (any of the last 90 days) search on every filing. Filed and moved here, they are added,
/// changed or dropped as their command commits. On PostgreSQL, where other instances write too, a
/// refresh reads what changed since the last one (every `refreshInterval`, with an overlap for
/// transactions that commit late); on SQLite one process does every write, so it is loaded once. Either
/// way what leaves the span is dropped every `refreshInterval`, and a row never replaces a newer one
/// (`updated_at`). Past `maximumEntries`, the index gives up and the lookups go to the database.
final class RecentSignalements: Sendable {
    struct Entry: Sendable {
        var id: String
        var categoryId: String
        var position: Position
        var status: SignalementStatus
        var createdAt: Int64
        var updatedAt: Int64
    }

    /// A bucket: one cell of the index's own grid (`FineGrid`), one category (by its number in
    /// `State.categories`: a lookup hashes the category's id once, not once per cell).
    private struct Key: Hashable {
        var cell: Int64
        var category: Int
    }

    /// What a bucket keeps of a signalement (its category is the bucket's).
    private struct Spot {
        var position: Position
        var status: SignalementStatus
        var createdAt: Int64
        var updatedAt: Int64
    }

    /// The signalements of one cell and category: spots and their ids side by side, so that a lookup
    /// walks plain values and touches an id (a reference-counted string) only for what it keeps.
    private struct Bucket {
        var spots: [Spot] = []
        var ids: [String] = []

        mutating func remove(_ id: String) {
            guard let index = ids.firstIndex(of: id) else { return }
            spots.swapAt(index, spots.count - 1)
            ids.swapAt(index, ids.count - 1)
            spots.removeLast()
            ids.removeLast()
        }
    }

    static let refreshInterval: TimeInterval = 5
    static let overlap: Int64 = 10_000
    static let maximumEntries = 500_000

    private struct State {
        var loaded = false
        var disabled = false
        var buckets: [Key: Bucket] = [:]
        var keyOf: [String: Key] = [:]
        var categories: [String: Int] = [:]
        var refreshedAt: Date = .distantPast
        var prunedAt: Date = .distantPast
        /// `updated_at` from which the next refresh reads.
        var watermark: Int64 = 0
    }

    private let state = Mutex(State())
    private let refreshing = Mutex(false)

    /// How far back the index keeps signalements: the duplicate window or recurrence's 90 days.
    static func span(_ window: TimeInterval) -> Int64 { max(Int64(window * 1000), Recurrence.window) }

    /// Adds, updates or drops one signalement as it now is.
    func record(_ signalement: Signalement, window: TimeInterval, now: Int64) {
        state.withLock { Self.apply(signalement.entry, into: &$0, window: window, now: now, id: signalement.id) }
    }

    /// The `limit` nearest open signalements of `categoryId` within `radius` of `center` filed since
    /// `since`, nearest first, or nil when the index cannot answer. Computed in place, under the lock.
    func nearestOpen(
        categoryId: String, center: Position, since: Int64, radius: Double, limit: Int,
        excluding id: String
    ) -> [NearbySignalement]? {
        guard let cells = FineGrid.cells(around: center, meters: radius) else { return nil }
        guard limit > 0 else { return [] }
        return state.withLock { state in
            guard state.loaded, !state.disabled else { return nil }
            var nearest: [NearbySignalement] = []
            guard let category = state.categories[categoryId] else { return nearest }
            let box = Nearness(center, radius)
            // Within FlatDistance's tested reach only; beyond it, the haversine for every spot in the box.
            let flat = radius <= FlatDistance.reach && abs(center.lat) <= FlatDistance.latitudes ? FlatDistance(center) : nil
            // The one to leave out is usually not in the index yet (it is being filed): no id compared then.
            let indexed = state.keyOf[id] != nil
            // The haversine only for a spot that may be kept: within the radius and, once `limit` are found,
            // not farther than the last kept (with margins far above the flat measure's error). That one's
            // distance is kept as a number, not read from the last kept for every spot.
            var farthestKept = Double.infinity
            func bound() -> Double {
                let bound = min(radius, farthestKept + 0.1) + 0.01
                return bound * bound
            }
            for near in cells {
                // Cells come nearest first: once one is beyond the bound, so is every spot of it and of the rest.
                if flat != nil, near.squared > bound() { break }
                guard let bucket = state.buckets[Key(cell: near.cell, category: category)] else { continue }
                for (index, spot) in bucket.spots.enumerated() where spot.status.isOpen && spot.createdAt >= since {
                    guard box.contains(spot.position) else { continue }
                    if let flat {
                        guard flat.squared(to: spot.position) <= bound() else { continue }
                    }
                    let distance = GroundDistance.meters(center, spot.position)
                    guard distance <= radius else { continue }
                    let rounded = (distance * 10).rounded() / 10
                    if farthestKept < rounded || (farthestKept == rounded && nearest[limit - 1].id <= bucket.ids[index]) { continue }
                    let other = bucket.ids[index]
                    guard !indexed || other != id else { continue }
                    let found = NearbySignalement(id: other, status: spot.status, distanceMeters: rounded, createdAt: spot.createdAt)
                    let position =
                        nearest.firstIndex { $0.distanceMeters > rounded || ($0.distanceMeters == rounded && $0.id > other) }
                        ?? nearest.endIndex
                    nearest.insert(found, at: position)
                    if nearest.count > limit { nearest.removeLast() }
                    if nearest.count == limit { farthestKept = nearest[limit - 1].distanceMeters }
                }
            }
            return nearest
        }
    }

    /// A cheap first test before the haversine: within the box of `radius` around `center` (a little
    /// wider, so that it never rules out a point the haversine would keep). A value, not a closure: it
    /// runs for every spot walked.
    private struct Nearness {
        let box: BoundingBox

        init(_ center: Position, _ radius: Double) {
            box = GroundDistance.box(around: center, meters: radius * 1.001)
        }

        func contains(_ point: Position) -> Bool {
            box.minLat <= point.lat && point.lat <= box.maxLat && box.minLong <= point.long && point.long <= box.maxLong
        }
    }

    /// Whether a signalement of `categoryId` (whatever its state) was filed within `radius` of `center`
    /// between `since` and `until`, or nil when the index cannot answer.
    func anyFiled(
        categoryId: String, center: Position, since: Int64, until: Int64, radius: Double,
        excluding id: String
    ) -> Bool? {
        guard let cells = FineGrid.cells(around: center, meters: radius) else { return nil }
        return state.withLock { state in
            guard state.loaded, !state.disabled else { return nil }
            guard let category = state.categories[categoryId] else { return false }
            let box = Nearness(center, radius)
            // Nearest cells first: where signalements are dense, the first cells usually answer.
            return cells.contains { near in
                guard let bucket = state.buckets[Key(cell: near.cell, category: category)] else { return false }
                return bucket.spots.indices.contains { index in
                    let spot = bucket.spots[index]
                    return spot.createdAt >= since && spot.createdAt <= until && box.contains(spot.position)
                        && GroundDistance.meters(center, spot.position) <= radius
                        && bucket.ids[index] != id
                }
            }
        }
    }

    /// Loads the index the first time, then reads what changed since the last refresh when it is due.
    func refreshIfDue(window: TimeInterval, now: Date, _ database: any Database) async throws {
        let shared = database.engine == .postgres
        let (due, pruneDue) = state.withLock {
            (
                !$0.disabled && (!$0.loaded || (shared && now.timeIntervalSince($0.refreshedAt) >= Self.refreshInterval)),
                $0.loaded && now.timeIntervalSince($0.prunedAt) >= Self.refreshInterval
            )
        }
        if !due, pruneDue { state.withLock { Self.prune(&$0, window: window, now: now) } }
        let claimed = refreshing.withLock { busy -> Bool in
            if busy { return false }
            busy = true
            return true
        }
        guard due, claimed else {
            if claimed { refreshing.withLock { $0 = false } }
            return
        }
        defer { refreshing.withLock { $0 = false } }
        let nowMilliseconds = now.storedMilliseconds
        let (loaded, watermark) = state.withLock { ($0.loaded, $0.watermark) }
        let since = loaded ? watermark - Self.overlap : nowMilliseconds - Self.span(window)
        let rows = try await database.read { db in
            let query = db.select().columns("id", "category_id", "status", "lat", "long", "created_at", "updated_at").from("signalements")
            if loaded {
                query.where("updated_at", .greaterThanOrEqual, since)
            } else {
                query.where("created_at", .greaterThanOrEqual, since)
            }
            return try await query.where("lat", .isNot, SQLLiteral.null).limit(Self.maximumEntries + 1).all()
        }
        let entries: [Entry] = try rows.map { row in
            Entry(
                id: try row.decode(column: "id", as: String.self), categoryId: try row.decode(column: "category_id", as: String.self),
                position: Position(long: try row.decode(column: "long", as: Double.self), lat: try row.decode(column: "lat", as: Double.self)),
                status: SignalementStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .closed,
                createdAt: try row.decode(column: "created_at", as: Int64.self), updatedAt: try row.decode(column: "updated_at", as: Int64.self))
        }
        state.withLock { state in
            for entry in entries { Self.apply(entry, into: &state, window: window, now: nowMilliseconds, id: entry.id) }
            state.watermark = max(state.watermark, entries.map(\.updatedAt).max() ?? since, loaded ? state.watermark : nowMilliseconds)
            state.loaded = true
            state.refreshedAt = now
            Self.prune(&state, window: window, now: now)
        }
    }

    /// Drops what has left the span; gives up past `maximumEntries`.
    private static func prune(_ state: inout State, window: TimeInterval, now: Date) {
        state.prunedAt = now
        let oldest = now.storedMilliseconds - span(window)
        for (key, bucket) in state.buckets where bucket.spots.contains(where: { $0.createdAt < oldest }) {
            var kept = Bucket()
            for (spot, id) in zip(bucket.spots, bucket.ids) {
                if spot.createdAt >= oldest {
                    kept.spots.append(spot)
                    kept.ids.append(id)
                } else {
                    state.keyOf[id] = nil
                }
            }
            state.buckets[key] = kept.ids.isEmpty ? nil : kept
        }
        if state.keyOf.count > maximumEntries {
            state.disabled = true
            state.buckets.removeAll()
            state.keyOf.removeAll()
        }
    }

    private static func apply(_ entry: Entry?, into state: inout State, window: TimeInterval, now: Int64, id: String) {
        if let key = state.keyOf[id], let entry, let bucket = state.buckets[key], let index = bucket.ids.firstIndex(of: id),
            bucket.spots[index].updatedAt > entry.updatedAt
        {
            return  // a row read before a command committed: what the command recorded is newer
        }
        if let key = state.keyOf.removeValue(forKey: id) {
            state.buckets[key]?.remove(id)
            if state.buckets[key]?.ids.isEmpty == true { state.buckets[key] = nil }
        }
        guard let entry, entry.createdAt >= now - span(window) else { return }
        let category =
            state.categories[entry.categoryId]
            ?? {
                let number = state.categories.count
                state.categories[entry.categoryId] = number
                return number
            }()
        let key = Key(cell: FineGrid.cell(of: entry.position), category: category)
        state.buckets[key, default: Bucket()].spots.append(
            Spot(
                position: entry.position, status: entry.status, createdAt: entry.createdAt,
                updatedAt: entry.updatedAt))
        state.buckets[key, default: Bucket()].ids.append(id)
        state.keyOf[id] = key
    }
}

extension Signalement {
    var entry: RecentSignalements.Entry? {
        location.map {
            RecentSignalements.Entry(id: id, categoryId: categoryId, position: $0, status: status, createdAt: createdAt, updatedAt: updatedAt)
        }
    }
}
