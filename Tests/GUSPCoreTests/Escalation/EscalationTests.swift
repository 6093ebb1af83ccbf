import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

@Suite("Escalation of unresolved signalements")
struct EscalationTests {
    static let hour: TimeInterval = 3_600

    @Test("level 1 at the due date, 2 and 3 after half the delay each, each once; nothing before", arguments: TestDatabases.engines)
    func levels(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let (f, _, filed) = try await SignalementWorkflowTests.filed(store)
            #expect(filed.dueAt == filed.createdAt + 24 * 3_600_000)
            #expect(try await store.sweepEscalations() == SweepResult(examined: 0, escalated: 0))
            clock.advance(24 * Self.hour - 1)
            #expect(try await store.sweepEscalations().escalated == 0)
            clock.advance(1)
            #expect(try await store.sweepEscalations() == SweepResult(examined: 1, escalated: 1))
            #expect(try await store.sweepEscalations().examined == 0, "a level happens once")
            clock.advance(12 * Self.hour)
            #expect(try await store.sweepEscalations().escalated == 1)
            clock.advance(12 * Self.hour)
            #expect(try await store.sweepEscalations().escalated == 1)
            clock.advance(100 * Self.hour)
            #expect(try await store.sweepEscalations().examined == 0, "nothing after level 3")
            let escalations = try await store.escalations(EscalationFilter(), page: try PageRequest(), by: Fixture.root).items
            #expect(escalations.map(\.level) == [1, 2, 3])
            #expect(escalations.map(\.audience) == [.partner, .coordinators, .elected])
            #expect(escalations.allSatisfy { $0.reason == .overdue })
            #expect(escalations.allSatisfy { $0.partnerId == f.partnerA.id })
            #expect(escalations.allSatisfy { $0.territoryId == f.qpvA.id })
            let events = try await store.signalementEvents(filed.id, page: try PageRequest(), by: Fixture.root).items
            #expect(
                events.filter { $0.action == "escalated" }.map(\.note) == [
                    "level 1 (overdue) to the partner", "level 2 (overdue) to the coordinators", "level 3 (overdue) to the elected",
                ])
        }
    }

    @Test("resolving stops it; reopening re-arms it for a new cycle", arguments: TestDatabases.engines)
    func stopAndRearm(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let (f, _, filed) = try await SignalementWorkflowTests.filed(store)
            let technician = try await f.actor(.technician)
            let resident = try await f.actor(.resident)
            _ = try await store.transitionSignalement(filed.id, to: .acknowledged, note: nil, ifVersion: nil, by: technician)
            _ = try await store.transitionSignalement(filed.id, to: .resolved, note: nil, ifVersion: nil, by: technician)
            clock.advance(30 * Self.hour)
            #expect(try await store.sweepEscalations().examined == 0)
            _ = try await store.transitionSignalement(filed.id, to: .reopened, note: "toujours en panne", ifVersion: nil, by: resident)
            clock.advance(24 * Self.hour - 1)
            #expect(try await store.sweepEscalations().examined == 0, "the delay counts again from the reopening")
            clock.advance(1)
            #expect(try await store.sweepEscalations().escalated == 1)
            let escalation = try await store.escalations(EscalationFilter(), page: try PageRequest(), by: Fixture.root).items
            #expect(escalation.map(\.cycle) == [1])
            #expect(escalation.map(\.level) == [1])
        }
    }

    @Test("waiting for arbitration too long escalates once to the coordinators", arguments: TestDatabases.engines)
    func arbitration(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let (f, _, filed) = try await SignalementWorkflowTests.filed(store, "fuite")
            #expect(filed.status == .needsArbitration)
            let coordinator = try await f.actor(.coordinator), elected = try await f.actor(.elected)
            let coordinatorB = try await f.actor(of: f.coordinatorB)
            clock.advance(48 * Self.hour)
            #expect(try await store.sweepEscalations().escalated == 1)
            clock.advance(480 * Self.hour)
            #expect(try await store.sweepEscalations().examined == 0)
            let escalation = try await store.escalations(EscalationFilter(), page: try PageRequest(), by: coordinator).items
            #expect(escalation.map(\.reason) == [.arbitration])
            #expect(escalation.map(\.audience) == [.coordinators])
            // The escalated party acknowledges it, once; others may not.
            await #expect(throws: DomainError.forbidden("only the escalated party (the coordinators) acknowledges this escalation")) {
                try await store.acknowledgeEscalation(escalation[0].id, by: elected)
            }
            let acknowledged = try await store.acknowledgeEscalation(escalation[0].id, by: coordinator)
            #expect(acknowledged.acknowledgedAt == clock.now().storedMilliseconds)
            await #expect(throws: DomainError.conflict("the escalation is already acknowledged")) {
                try await store.acknowledgeEscalation(escalation[0].id, by: Fixture.root)
            }
            #expect(try await store.escalations(EscalationFilter(acknowledged: false), page: try PageRequest(), by: Fixture.root).items.isEmpty)
            #expect(try await store.escalations(EscalationFilter(), page: try PageRequest(), by: coordinatorB).items.isEmpty)
        }
    }

    @Test(
        "a round trip through arbitration escalates there once and resumes the overdue track without repeating a level",
        arguments: TestDatabases.engines)
    func arbitrationRoundTrip(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let (f, _, filed) = try await SignalementWorkflowTests.filed(store)
            let technician = try await f.actor(.technician)
            let coordinator = try await f.actor(.coordinator)
            clock.advance(24 * Self.hour)
            #expect(try await store.sweepEscalations().escalated == 1)
            _ = try await store.transitionSignalement(filed.id, to: .needsArbitration, note: "pas notre domaine", ifVersion: nil, by: technician)
            clock.advance(48 * Self.hour)
            #expect(try await store.sweepEscalations().escalated == 1)
            _ = try await store.assignSignalement(filed.id, to: f.partnerA.id, note: "si, c'est le vôtre", ifVersion: nil, by: coordinator)
            for _ in 0..<5 { _ = try await store.sweepEscalations() }
            clock.advance(100 * Self.hour)
            for _ in 0..<5 { _ = try await store.sweepEscalations() }
            let escalations = try await store.escalations(EscalationFilter(), page: try PageRequest(), by: Fixture.root).items
            #expect(escalations.map { "\($0.level) \($0.reason.rawValue)" } == ["1 overdue", "2 arbitration", "2 overdue", "3 overdue"])
            #expect(Set(escalations.map(\.cycle)) == [0])
        }
    }

    @Test("a convention's own fractions set when levels 2 and 3 come", arguments: TestDatabases.engines)
    func conventionFractions(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let lifts = try await f.category("parties_communes")
            var convention = f.guspConvention(
                people,
                commitments: [
                    ServiceCommitment(
                        categoryId: lifts, partnerId: nil,
                        delay: Commitment(amount: 10, unit: .hours))
                ])
            convention.escalation = ConventionEscalation(level2After: 1, level3After: 2)
            _ = try await f.signedConvention(people, convention)
            let filed = try await store.createSignalement(
                NewSignalement(categoryId: lifts, description: "Ascenseur", location: people.places.inQPV),
                by: try await f.actor(.resident)
            ).signalement
            #expect(filed.dueAt == filed.createdAt + 10 * 3_600_000)
            clock.advance(10 * Self.hour)
            #expect(try await store.sweepEscalations().escalated == 1)
            clock.advance(10 * Self.hour - 1)
            #expect(try await store.sweepEscalations().escalated == 0, "level 2 comes a whole delay (10 h) after level 1")
            clock.advance(1)
            #expect(try await store.sweepEscalations().escalated == 1)
            clock.advance(20 * Self.hour)
            #expect(try await store.sweepEscalations().escalated == 1)
        }
    }

    @Test("two instances sweeping 1,000 due signalements record each level exactly once", arguments: TestDatabases.engines)
    func twoInstances(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withTwinStores(engine, clock: clock) { first, second in
            let f = try await Fixture.make(first)
            let places = try await f.drawContours()
            let lift = try await f.category("parties_communes")
            let resident = try await f.actor(.resident)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<1_000 {
                    group.addTask {
                        _ = try await first.createSignalement(
                            NewSignalement(
                                categoryId: lift, description: "Ascenseur \(index)",
                                location: Position(long: places.inQPV.long + Double(index % 40) * 0.0002, lat: places.inQPV.lat)), by: resident)
                    }
                }
                try await group.waitForAll()
            }
            clock.advance(24 * Self.hour)
            let totals = try await withThrowingTaskGroup(of: Int.self) { group in
                for store in [first, second] {
                    group.addTask {
                        var escalated = 0
                        while true {
                            let result = try await store.sweepEscalations(limit: 100)
                            escalated += result.escalated
                            if result.examined == 0 { return escalated }
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(totals.reduce(0, +) == 1_000)
            let all = try await first.escalations(EscalationFilter(), page: try PageRequest(limit: 500), by: Fixture.root)
            let rest = try await first.escalations(EscalationFilter(), page: try PageRequest(limit: 500, cursor: all.nextCursor), by: Fixture.root)
            let escalations = all.items + rest.items
            #expect(escalations.count == 1_000)
            #expect(Set(escalations.map(\.signalementId)).count == 1_000)
            #expect(escalations.allSatisfy { $0.level == 1 })
        }
    }
}
