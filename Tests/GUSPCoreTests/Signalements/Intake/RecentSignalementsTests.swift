import Foundation
import GUSPDatabase
import GUSPTestSupport
import Testing

@testable import GUSPBench
@testable import GUSPCore

/// The index of recent signalements in memory answers "possible duplicates" and "recurs" on every
/// filing; the database answers when it cannot. Both must give the same answer.
@Suite("Signalements: the in-memory index of recent ones agrees with the database")
struct RecentSignalementsTests {
    @Test(
        "over a dense, random neighbourhood: the same five nearest open ones (ties by id) and the same recurrence",
        arguments: TestDatabases.engines)
    func sameAnswers(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident), technician = try await f.actor(.technician)
            let lift = try await f.category("parties_communes")
            var generator = SplitMix64(seed: 20261122)  // the seeder's: a failure can be replayed
            func point() -> Position {
                // Within about 150 m of the QPV's point, on a 1 m lattice (many exact ties of distance).
                Position(
                    long: places.inQPV.long + Double(Int.random(in: -190...190, using: &generator)) * 0.00001,
                    lat: places.inQPV.lat + Double(Int.random(in: -130...130, using: &generator)) * 0.00001)
            }
            for index in 0..<160 {
                clock.advance(30)
                let filed = try await store.createSignalement(
                    NewSignalement(categoryId: lift, description: "hall \(index)", location: point()),
                    by: resident)
                if index % 4 == 0 {
                    _ = try await store.transitionSignalement(
                        filed.signalement.id, to: .rejected, note: "déjà traité", ifVersion: nil, by: technician)
                }
            }
            // A second store on the same database, whose index was never loaded: it asks the database.
            let fromDatabase = Store(database: store.database, clock: clock)
            let now = clock.now().storedMilliseconds
            try await store.recent.refreshIfDue(window: store.settings.duplicateWindow, now: clock.now(), store.database)
            var answered = 0
            for _ in 0..<60 {
                let probe = Signalement.probe(categoryId: lift, at: point(), now: now)
                let inMemory = try await store.possibleDuplicates(of: probe, now: now)
                #expect(inMemory == (try await fromDatabase.possibleDuplicates(of: probe, now: now)))
                #expect(try await store.recurs(probe, now: now) == (try await fromDatabase.recurs(probe, now: now)))
                if !inMemory.isEmpty { answered += 1 }
            }
            #expect(answered > 30, "most probes have neighbours")
        }
    }
}

extension Signalement {
    /// A signalement about to be filed at `point`, as the lookups see it.
    static func probe(categoryId: String, at point: Position, now: Int64) -> Signalement {
        Signalement(
            id: Identifier.make("sig"), reference: "PROBE", categoryId: categoryId, status: .submitted, priority: .normal, channel: .app,
            description: "probe", location: point, address: nil, territoryId: nil, partnerId: nil, reporterId: nil, contact: nil,
            dueAt: nil, duplicateOf: nil, confirmationsCount: 0, followersCount: 0, photos: [], resolvedAt: nil, closedAt: nil,
            version: 1, createdAt: now, updatedAt: now)
    }
}
