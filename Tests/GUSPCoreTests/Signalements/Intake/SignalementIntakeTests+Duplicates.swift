import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

extension SignalementIntakeTests {
    @Test("open signalements of the same category within 50 m and 30 days are offered as duplicates", arguments: TestDatabases.engines)
    func possibleDuplicates(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let proprete = try await f.category("proprete")
            func file(_ category: String, _ point: Position) async throws -> FiledSignalement {
                try await store.createSignalement(NewSignalement(categoryId: category, description: "dépôt", location: point), by: resident)
            }
            let first = try await file(proprete, places.inQPV)
            _ = try await file(try await f.category("voirie"), places.inQPV)
            clock.advance(3_600)
            // About 30 m north-east: offered; about 110 m away: not.
            let near = try await file(proprete, Position(long: places.inQPV.long + 0.0003, lat: places.inQPV.lat + 0.0002))
            #expect(near.possibleDuplicates.map(\.id) == [first.signalement.id])
            #expect(near.possibleDuplicates[0].distanceMeters > 20)
            #expect(near.possibleDuplicates[0].distanceMeters < 40)
            let far = try await file(proprete, Position(long: places.inQPV.long, lat: places.inQPV.lat + 0.001))
            #expect(far.possibleDuplicates.isEmpty)
            // Across a grid line (0.001°) a few metres away: still offered.
            let below = try await file(proprete, Position(long: 4.9155, lat: 44.92999))
            let above = try await file(proprete, Position(long: 4.9155, lat: 44.93001))
            #expect(above.possibleDuplicates.map(\.id) == [below.signalement.id])
            // Resolved, it is no longer offered.
            let technician = try await f.actor(of: f.users[.technician]!)
            _ = try await store.assignSignalement(below.signalement.id, to: f.partnerA.id, note: nil, ifVersion: nil, by: Fixture.root)
            _ = try await store.transitionSignalement(below.signalement.id, to: .resolved, note: nil, ifVersion: nil, by: technician)
            #expect(try await file(proprete, Position(long: 4.9155, lat: 44.93001)).possibleDuplicates.map(\.id) == [above.signalement.id])
            // Older than the window: not offered.
            clock.advance(31 * 86_400)
            #expect(try await file(proprete, places.inQPV).possibleDuplicates.isEmpty)
        }
    }

    @Test("filings made at the same time are all written, each with its event and follower", arguments: TestDatabases.engines)
    func concurrentFilings(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let category = try await f.category("proprete")
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<60 {
                    group.addTask {
                        let point = Position(long: places.inQPV.long + Double(index) * 0.0001, lat: places.inQPV.lat)
                        let new = NewSignalement(
                            categoryId: category, description: "dépôt \(index)", location: point,
                            contact: index.isMultiple(of: 2) ? ReporterContact(name: "R\(index)") : nil)
                        return try await store.createSignalement(new, by: resident).signalement.id
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(ids.count == 60)
            let listed = try await store.signalements(SignalementFilter(), page: try PageRequest(limit: 100), by: Fixture.root).items
            #expect(Set(listed.map(\.id)) == ids)
            let contacts = try await store.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM signalement_contacts").first()!.decode(column: "n", as: Int.self)
            }
            #expect(contacts == 30)
            #expect(listed.allSatisfy { $0.followersCount == 1 })
            for id in ids.prefix(5) {
                #expect(try await store.signalementEvents(id, page: try PageRequest(), by: Fixture.root).items.map(\.action) == ["created"])
            }
        }
    }

    @Test(
        "reference data is cached: a change here is seen at once, one made by another instance within 5 s",
        arguments: TestDatabases.engines)
    func referenceCache(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let proprete = try await f.category("proprete")
            func partner(_ filer: Store) async throws -> String? {
                let filed = try await filer.createSignalement(
                    NewSignalement(categoryId: proprete, description: "dépôt", location: places.inQPV),
                    by: resident)
                return filed.signalement.partnerId
            }
            #expect(try await partner(store) == places.villeA.id)
            // Another instance over the same database records a parcel of the bailleur there.
            let other = Store(database: store.database, clock: clock, settings: store.settings)
            _ = try await other.createLandParcel(
                NewLandParcel(
                    label: "Résidence", partnerId: f.partnerA.id,
                    geometryJSON: Contours.rectangle(4.90, 44.92, 4.92, 44.94)), by: Fixture.root)
            #expect(try await partner(other) == f.partnerA.id)
            #expect(try await partner(store) == places.villeA.id)
            clock.advance(6)
            #expect(try await partner(store) == f.partnerA.id)
            // On PostgreSQL (several instances), filings of another instance show as possible duplicates
            // here within 5 s. On SQLite, one process does every write.
            if engine == .postgres {
                let elsewhere = Position(long: 4.915, lat: 44.925)
                let first = try await other.createSignalement(
                    NewSignalement(categoryId: proprete, description: "dépôt", location: elsewhere),
                    by: resident)
                clock.advance(6)
                let second = try await store.createSignalement(
                    NewSignalement(categoryId: proprete, description: "dépôt", location: elsewhere),
                    by: resident)
                #expect(second.possibleDuplicates.map(\.id) == [first.signalement.id])
            }
            // The same holds for tokens: revoked elsewhere, refused here within 5 s.
            let token = try await store.issuePersonalToken(userId: f.users[.elected]!.id, name: "t", lifetime: 3_600, createdBy: nil)
            let elected = try await store.authenticate(bearer: token.secret)
            try await other.revokeOwnToken(elected)
            await #expect(throws: AuthenticationFailure("the token was revoked")) { try await other.authenticate(bearer: token.secret) }
            _ = try await store.authenticate(bearer: token.secret)
            clock.advance(6)
            await #expect(throws: AuthenticationFailure("the token was revoked")) { try await store.authenticate(bearer: token.secret) }
        }
    }
}
