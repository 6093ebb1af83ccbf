import Foundation
import SQLKit
import Synchronization

/// In-memory copies of what every filing and every request reads and almost nothing changes:
/// the reference data (categories, territories with their contours, which partners work where,
/// land parcels) and who each bearer token speaks for.
///
/// - In this process, every command that may change them (`Store.writeReference`) drops them when it
///   commits, so the next reader loads fresh ones: on SQLite (one process) they are never stale.
/// - Changes made by another process (several instances on PostgreSQL) are seen within `lifetime`.
/// - A reader records the generation before loading and keeps what it loaded only if no change
///   committed meanwhile, so a slow load cannot put back what a change just dropped.
final class ReferenceCache: Sendable {
    static let lifetime: TimeInterval = 5
    static let maximumActors = 10_000

    struct CachedActor {
        var actor: Actor
        var lastUsedAt: Int64
        var loadedAt: Date
    }

    private struct State {
        var generation = 0
        var snapshot: (data: ReferenceSnapshot, loadedAt: Date)?
        var actors: [String: CachedActor] = [:]
    }

    private let state = Mutex(State())

    var generation: Int { state.withLock { $0.generation } }

    func invalidate() {
        state.withLock {
            $0.generation += 1
            $0.snapshot = nil
            $0.actors.removeAll()
        }
    }

    func snapshot(at now: Date) -> ReferenceSnapshot? {
        state.withLock { state in
            guard let cached = state.snapshot, now.timeIntervalSince(cached.loadedAt) < Self.lifetime else { return nil }
            return cached.data
        }
    }

    func keep(_ snapshot: ReferenceSnapshot, loadedAt: Date, generation: Int) {
        state.withLock { if $0.generation == generation { $0.snapshot = (snapshot, loadedAt) } }
    }

    func actor(forTokenHash hash: String, at now: Date) -> CachedActor? {
        state.withLock { state in
            guard let cached = state.actors[hash], now.timeIntervalSince(cached.loadedAt) < Self.lifetime else { return nil }
            return cached
        }
    }

    func keep(_ actor: CachedActor, forTokenHash hash: String, generation: Int) {
        state.withLock {
            guard $0.generation == generation else { return }
            if $0.actors.count >= Self.maximumActors { $0.actors.removeAll(keepingCapacity: true) }
            $0.actors[hash] = actor
        }
    }

    func noteUse(ofTokenHash hash: String, at milliseconds: Int64) {
        state.withLock { $0.actors[hash]?.lastUsedAt = milliseconds }
    }
}

extension Store {
    /// A write that may change reference data or identities: the caches are dropped once it is over
    /// (committed or not).
    func writeReference<Result: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        do {
            let result = try await database.write(body)
            cache.invalidate()
            return result
        } catch {
            cache.invalidate()
            throw error
        }
    }

    /// The reference data, from memory when fresh, else loaded on a reader.
    package func referenceSnapshot() async throws -> ReferenceSnapshot {
        let now = clock.now()
        if let snapshot = cache.snapshot(at: now) { return snapshot }
        let generation = cache.generation
        let snapshot = try await database.read { db in try await ReferenceSnapshot.load(db) }
        cache.keep(snapshot, loadedAt: now, generation: generation)
        return snapshot
    }
}
