import Foundation
import SQLKit
import Synchronization

/// In-memory copies of what every filing and every request reads and almost nothing changes:
/// the reference data (categories, territories with their contours, which partners work where,
/// land parcels) and who each bearer token speaks for.
///
/// - In this process, every command that may change them (`Store.writeReference`) drops them when it
///   commits, so the next reader loads fresh ones: on SQLite (one process) they are never stale.
/// - Changes made by another process (several instances on PostgreSQL) raise the shared counter
///   `reference_changes` in their transaction; each process compares it with the last it saw at most
///   every `sharedCheckInterval`, on the next request, and drops its caches when it moved: a revoked
///   token or a changed role stops working on every instance within a second. `lifetime` bounds the
///   rest (a counter read that failed).
/// - A reader records the generation before loading and keeps what it loaded only if no change
///   committed meanwhile, so a slow load cannot put back what a change just dropped.
final class ReferenceCache: Sendable {
    static let lifetime: TimeInterval = 5
    static let sharedCheckInterval: TimeInterval = 0.25
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
        /// The shared counter as last read, when, and whether a request is reading it now.
        var shared: (generation: Int64, checkedAt: Date)?
        var checkingShared = false
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

    /// Whether the shared counter is due a read, claimed by the caller if so (one reader at a time;
    /// the others go on with what they have meanwhile).
    func claimSharedCheck(at now: Date) -> Bool {
        state.withLock { state in
            guard !state.checkingShared else { return false }
            if let shared = state.shared, now.timeIntervalSince(shared.checkedAt) < Self.sharedCheckInterval { return false }
            state.checkingShared = true
            return true
        }
    }

    /// The shared counter as just read (nil: the read failed): the caches go if it moved.
    func sawSharedGeneration(_ generation: Int64?, at now: Date) {
        state.withLock { state in
            state.checkingShared = false
            guard let generation else { return }
            if let known = state.shared?.generation, known != generation {
                state.generation += 1
                state.snapshot = nil
                state.actors.removeAll()
            }
            state.shared = (generation, now)
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
        let shared = database.engine == .postgres
        do {
            let result = try await database.write { db in
                let result = try await body(db)
                // Other instances see the change by this counter (one process on SQLite: no need).
                if shared { try await db.raw("UPDATE reference_changes SET generation = generation + 1 WHERE id = 1").run() }
                return result
            }
            cache.invalidate()
            return result
        } catch {
            cache.invalidate()
            throw error
        }
    }

    /// The reference data, from memory when fresh, else loaded on a reader.
    package func referenceSnapshot() async throws -> ReferenceSnapshot {
        await seeOtherInstancesChanges()
        let now = clock.now()
        if let snapshot = cache.snapshot(at: now) { return snapshot }
        let generation = cache.generation
        let snapshot = try await database.read { db in try await ReferenceSnapshot.load(db) }
        cache.keep(snapshot, loadedAt: now, generation: generation)
        return snapshot
    }

    /// On PostgreSQL, drops the caches if another instance changed reference data or identities since
    /// the shared counter was last read (at most every `ReferenceCache.sharedCheckInterval`).
    func seeOtherInstancesChanges() async {
        guard database.engine == .postgres else { return }
        let now = clock.now()
        guard cache.claimSharedCheck(at: now) else { return }
        let generation = try? await database.read { db in
            try await db.raw("SELECT generation FROM reference_changes WHERE id = 1").first()?.decode(column: "generation", as: Int64.self)
        }
        cache.sawSharedGeneration(generation ?? nil, at: now)
    }
}
