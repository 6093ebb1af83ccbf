import Foundation
import SQLKit
import Synchronization

/// The open, located signalements of the duplicate window, in memory, by grid cell: what "possible
/// duplicates" searches on every filing. Filed and moved here, they are added or dropped as their
/// command commits. On PostgreSQL, where other instances write too, a refresh reads what changed since
/// the last one (every `refreshInterval`, with an overlap for transactions that commit late); on
/// SQLite one process does every write, so it is loaded once. Past `maximumEntries`, the index gives
/// up and the lookups go to the database.
final class RecentSignalements: Sendable {
    struct Entry: Sendable {
        var id: String
        var categoryId: String
        var position: Position
        var status: SignalementStatus
        var createdAt: Int64
    }

    static let refreshInterval: TimeInterval = 5
    static let overlap: Int64 = 10_000
    static let maximumEntries = 500_000

    private struct State {
        var loaded = false
        var disabled = false
        var byCell: [Int64: [String: Entry]] = [:]
        var cellOf: [String: Int64] = [:]
        var refreshedAt: Date = .distantPast
        /// `updated_at` from which the next refresh reads.
        var watermark: Int64 = 0
    }

    private let state = Mutex(State())
    private let refreshing = Mutex(false)

    /// Adds, updates or drops one signalement as it now is.
    func record(_ signalement: Signalement, window: TimeInterval, now: Int64) {
        state.withLock { Self.apply(signalement.entry, into: &$0, window: window, now: now, id: signalement.id) }
    }

    /// Open signalements of `categoryId` in `cells` since `since`, or nil when the index cannot answer.
    func candidates(categoryId: String, cells: [Int64], since: Int64) -> [Entry]? {
        state.withLock { state in
            guard state.loaded, !state.disabled else { return nil }
            return cells.flatMap { state.byCell[$0]?.values.filter { $0.categoryId == categoryId && $0.createdAt >= since } ?? [] }
        }
    }

    /// Loads the index the first time, then reads what changed since the last refresh when it is due.
    func refreshIfDue(window: TimeInterval, now: Date, _ database: any Database) async throws {
        let shared = database.engine == .postgres
        let due = state.withLock {
            !$0.disabled && (!$0.loaded || (shared && now.timeIntervalSince($0.refreshedAt) >= Self.refreshInterval))
        }
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
        let since = loaded ? watermark - Self.overlap : nowMilliseconds - Int64(window * 1000)
        let rows = try await database.read { db in
            let query = db.select().columns("id", "category_id", "status", "lat", "long", "created_at", "updated_at").from("signalements")
            if loaded {
                query.where("updated_at", .greaterThanOrEqual, since)
            } else {
                query.where("created_at", .greaterThanOrEqual, since).where("status", .in, SignalementStatus.open.map(\.rawValue))
            }
            return try await query.where("lat", .isNot, SQLLiteral.null).limit(Self.maximumEntries + 1).all()
        }
        let entries: [(Entry, Int64)] = try rows.map { row in
            (Entry(id: try row.decode(column: "id", as: String.self), categoryId: try row.decode(column: "category_id", as: String.self),
                   position: Position(long: try row.decode(column: "long", as: Double.self), lat: try row.decode(column: "lat", as: Double.self)),
                   status: SignalementStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .closed,
                   createdAt: try row.decode(column: "created_at", as: Int64.self)),
             try row.decode(column: "updated_at", as: Int64.self))
        }
        state.withLock { state in
            for (entry, _) in entries { Self.apply(entry, into: &state, window: window, now: nowMilliseconds, id: entry.id) }
            state.watermark = max(state.watermark, entries.map(\.1).max() ?? since, loaded ? state.watermark : nowMilliseconds)
            state.loaded = true
            state.refreshedAt = now
            // Drop what has left the window.
            let oldest = nowMilliseconds - Int64(window * 1000)
            for (cell, bucket) in state.byCell {
                let kept = bucket.filter { $0.value.createdAt >= oldest }
                if kept.count != bucket.count {
                    for id in bucket.keys where kept[id] == nil { state.cellOf[id] = nil }
                    state.byCell[cell] = kept.isEmpty ? nil : kept
                }
            }
            if state.cellOf.count > Self.maximumEntries {
                state.disabled = true
                state.byCell.removeAll()
                state.cellOf.removeAll()
            }
        }
    }

    private static func apply(_ entry: Entry?, into state: inout State, window: TimeInterval, now: Int64, id: String) {
        if let cell = state.cellOf[id] {
            state.byCell[cell]?[id] = nil
            state.cellOf[id] = nil
        }
        guard let entry, entry.status.isOpen, entry.createdAt >= now - Int64(window * 1000) else { return }
        let cell = GroundDistance.cell(of: entry.position)
        state.byCell[cell, default: [:]][id] = entry
        state.cellOf[id] = cell
    }
}

extension Signalement {
    var entry: RecentSignalements.Entry? {
        location.map { RecentSignalements.Entry(id: id, categoryId: categoryId, position: $0, status: status, createdAt: createdAt) }
    }
}
