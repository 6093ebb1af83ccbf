import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

@Suite("Service commitments of conventions and due dates")
struct ServiceCommitmentTests {
    static let hour: Int64 = 3_600_000

    /// Files a lift breakdown in QPV A as the resident (routed to bailleur A) and gives its delay in hours.
    /// (Actors are taken before the clock moves: tokens expire with it.)
    static func fileDelay(_ f: Fixture, _ places: Contours, as resident: Actor) async throws -> (Signalement, Int64) {
        let filed = try await f.store.createSignalement(
            NewSignalement(
                categoryId: try await f.category("parties_communes"), description: "Ascenseur en panne", location: places.inQPV),
            by: resident
        ).signalement
        #expect(filed.partnerId == f.partnerA.id)
        return (filed, (filed.dueAt! - filed.createdAt) / hour)
    }

    @Test(
        "the most specific territory wins, then partner-specific, then the category default; due dates already set never move",
        arguments: TestDatabases.engines)
    func applicableCommitment(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let lifts = try await f.category("parties_communes")
            let resident = try await f.actor(.resident)
            let (before, defaultDelay) = try await Self.fileDelay(f, people.places, as: resident)
            #expect(defaultDelay == 24)

            // A commune-wide convention promises 2 h to everyone; a QPV one 4 h: the QPV is more specific.
            _ = try await f.signedConvention(
                people,
                f.guspConvention(
                    people, commitments: [ServiceCommitment(categoryId: lifts, partnerId: nil, delay: Commitment(amount: 2, unit: .hours))],
                    territories: [f.communeA.id]))
            clock.advance(60)
            #expect(try await Self.fileDelay(f, people.places, as: resident).1 == 2)
            let qpv = try await f.signedConvention(
                people,
                f.guspConvention(
                    people, commitments: [ServiceCommitment(categoryId: lifts, partnerId: nil, delay: Commitment(amount: 4, unit: .hours))]))
            clock.advance(60)
            let (fourHours, delay) = try await Self.fileDelay(f, people.places, as: resident)
            #expect(delay == 4)

            // An amendment adds a commitment of bailleur A alone (6 h): partner-specific beats general on the same territory.
            let coordinator = try await f.actor(.coordinator)
            _ = try await store.amendConvention(
                qpv.id,
                NewAmendment(
                    summary: "Engagement propre au bailleur",
                    changes: ConventionChanges(
                        serviceCommitments: [
                            ServiceCommitment(categoryId: lifts, partnerId: nil, delay: Commitment(amount: 4, unit: .hours)),
                            ServiceCommitment(categoryId: lifts, partnerId: f.partnerA.id, delay: Commitment(amount: 6, unit: .hours)),
                        ])),
                by: coordinator)
            clock.advance(60)
            #expect(try await Self.fileDelay(f, people.places, as: resident).1 == 4, "a pending amendment changes nothing")
            _ = try await store.signConvention(qpv.id, by: try await f.actor(of: people.electedVille))
            _ = try await store.signConvention(qpv.id, by: try await f.actor(of: people.bailleurCoordinator))
            clock.advance(60)
            #expect(try await Self.fileDelay(f, people.places, as: resident).1 == 6)

            // Due dates set before stay where they were.
            #expect(try await store.signalement(before.id, by: Fixture.root).dueAt == before.dueAt)
            #expect(try await store.signalement(fourHours.id, by: Fixture.root).dueAt == fourHours.dueAt)

            // Terminated, the QPV convention no longer applies: the commune's 2 h does.
            _ = try await store.terminateConvention(qpv.id, note: "dénoncée", by: coordinator)
            clock.advance(60)
            #expect(try await Self.fileDelay(f, people.places, as: resident).1 == 2)
        }
    }

    @Test("a general commitment binds the signatories only", arguments: TestDatabases.engines)
    func signatoriesOnly(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let lifts = try await f.category("parties_communes")
            let resident = try await f.actor(.resident)
            var cityOnly = f.guspConvention(
                people,
                commitments: [
                    ServiceCommitment(
                        categoryId: lifts, partnerId: nil,
                        delay: Commitment(amount: 3, unit: .hours))
                ])
            cityOnly.signatoryIds = [people.ville.id]
            cityOnly.actionSheets = []
            let draft = try await store.createConvention(cityOnly, by: try await f.actor(.coordinator))
            _ = try await store.signConvention(draft.id, by: try await f.actor(of: people.electedVille))
            #expect(try await store.convention(draft.id, by: Fixture.root).status == .active)
            // Bailleur A did not sign: its lifts keep the category's 24 h.
            #expect(try await Self.fileDelay(f, people.places, as: resident).1 == 24)
        }
    }

    @Test("a convention applies only within its period", arguments: TestDatabases.engines)
    func period(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let lifts = try await f.category("parties_communes")
            let resident = try await f.actor(.resident)
            _ = try await f.signedConvention(
                people,
                f.guspConvention(
                    people, commitments: [ServiceCommitment(categoryId: lifts, partnerId: nil, delay: Commitment(amount: 8, unit: .hours))],
                    start: "2026-10-01", end: "2026-10-31"))
            #expect(try await Self.fileDelay(f, people.places, as: resident).1 == 24)
            clock.advance(10 * 86_400)
            #expect(try await Self.fileDelay(f, people.places, as: resident).1 == 8)
            clock.advance(40 * 86_400)
            #expect(try await Self.fileDelay(f, people.places, as: resident).1 == 24)
        }
    }
}
