import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

@Suite("Interventions pushed by partner systems")
struct InterventionTests {
    static func report(
        _ status: InterventionStatus = .planned, linking ids: [String] = [], doneAt: Int64? = nil,
        axis: Int? = nil, realised: Int64? = nil, territory: String? = nil
    ) -> InterventionReport {
        InterventionReport(
            kind: "nettoyage", status: status, scheduledAt: 1_790_100_000_000, doneAt: doneAt, territoryId: territory,
            description: "Nettoyage du hall B", signalementIds: ids, atfpbAxis: axis,
            amounts: InterventionAmounts(realisedCents: realised))
    }

    @Test("the same body again changes nothing; another updates it, version + 1", arguments: TestDatabases.engines)
    func idempotentUpsert(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let system = try await f.actor(.partnerSystem)
            let created = try await store.upsertIntervention(partnerId: f.partnerA.id, externalId: "VRH-2026-0001", Self.report(), by: system)
            #expect(created.outcome == .created)
            #expect(created.intervention.version == 1)
            let again = try await store.upsertIntervention(partnerId: f.partnerA.id, externalId: "VRH-2026-0001", Self.report(), by: system)
            #expect(again.outcome == .unchanged)
            #expect(again.intervention == created.intervention)
            let started = try await store.upsertIntervention(
                partnerId: f.partnerA.id, externalId: "VRH-2026-0001", Self.report(.inProgress),
                by: try await f.actor(.technician))
            #expect(started.outcome == .updated)
            #expect(started.intervention.version == 2)
            #expect(started.intervention.id == created.intervention.id)
            await #expect(throws: DomainError.versionMismatch(current: 2)) {
                try await store.upsertIntervention(
                    partnerId: f.partnerA.id, externalId: "VRH-2026-0001", Self.report(.cancelled), ifVersion: 1,
                    by: system)
            }
            // A retry of the same report after a lost answer is unchanged, even with the If-Match it was sent with.
            let retried = try await store.upsertIntervention(
                partnerId: f.partnerA.id, externalId: "VRH-2026-0001", Self.report(.inProgress),
                ifVersion: 1, by: system)
            #expect(retried.outcome == .unchanged)
            #expect(retried.intervention.version == 2)
            // If-Match on an intervention that does not exist yet is a 412, not a creation.
            await #expect(throws: DomainError.versionMismatch(current: 0)) {
                try await store.upsertIntervention(partnerId: f.partnerA.id, externalId: "VRH-2026-0002", Self.report(), ifVersion: 1, by: system)
            }
            let events = try await store.events(
                resourceType: .intervention, resourceId: created.intervention.id, page: try PageRequest(),
                by: Fixture.root
            ).items
            #expect(events.map(\.action) == ["created", "updated"])
            #expect(events[1].changes == ["status"])
            #expect(events[1].toStatus == "in_progress")
        }
    }

    @Test("concurrent first reports of one external id make one intervention", arguments: TestDatabases.engines)
    func concurrentFirstReports(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let system = try await f.actor(.partnerSystem)
            let partner = f.partnerA.id
            let outcomes = try await withThrowingTaskGroup(of: InterventionOutcome.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await store.upsertIntervention(partnerId: partner, externalId: "RACE-1", Self.report(), by: system).outcome
                    }
                }
                return try await group.reduce(into: [InterventionOutcome]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .created }.count == 1)
            #expect(outcomes.filter { $0 == .unchanged }.count == 7)
            #expect(try await store.interventions(InterventionFilter(), page: try PageRequest(), by: Fixture.root).items.count == 1)
        }
    }

    @Test("only the partner's own systems and technicians push; bad fields are named", arguments: TestDatabases.engines)
    func refusals(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let system = try await f.actor(.partnerSystem)
            await #expect(throws: DomainError.forbidden("a partner pushes its own interventions only")) {
                try await store.upsertIntervention(partnerId: f.partnerB.id, externalId: "X1", Self.report(), by: system)
            }
            for role in [Role.coordinator, .admin, .elected, .resident] {
                await #expect(throws: DomainError.forbidden("your role (\(role.rawValue)) may not do intervention.write")) {
                    try await store.upsertIntervention(partnerId: f.partnerA.id, externalId: "X1", Self.report(), by: try await f.actor(role))
                }
            }
            await #expect(throws: DomainError.notFound("partner not found")) {
                try await store.upsertIntervention(partnerId: "par_nope", externalId: "X1", Self.report(), by: system)
            }
            var bad = Self.report(.done, axis: 9, realised: -5)
            bad.kind = " "
            do {
                _ = try await store.upsertIntervention(partnerId: f.partnerA.id, externalId: "X/1", bad, by: system)
                Issue.record("a bad report was accepted")
            } catch let failure as ValidationFailure {
                #expect(failure.errors.map(\.field) == ["external_id", "kind", "done_at", "atfpb_axis", "amounts.realised_cents"])
            }
            #expect(try await store.interventions(InterventionFilter(), page: try PageRequest(), by: Fixture.root).items.isEmpty)
        }
    }

    @Test("linked signalements follow the intervention; a foreign one refuses the item, nothing written", arguments: TestDatabases.engines)
    func linking(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let lift = try await store.createSignalement(
                NewSignalement(
                    categoryId: try await f.category("parties_communes"), description: "Ascenseur en panne", location: places.inQPV), by: resident
            ).signalement
            let street = try await store.createSignalement(
                NewSignalement(
                    categoryId: try await f.category("voirie"), description: "Nid de poule", location: places.inCommuneA), by: resident
            ).signalement
            #expect(lift.partnerId == f.partnerA.id)
            #expect(street.partnerId == places.villeA.id)
            let system = try await f.actor(.partnerSystem)
            await #expect(throws: ValidationFailure(field: "signalement_ids[1]", message: "\(street.id) is not a signalement routed to this partner"))
            {
                try await store.upsertIntervention(
                    partnerId: f.partnerA.id, externalId: "VRH-7", Self.report(.inProgress, linking: [lift.id, street.id]),
                    by: system)
            }
            #expect(try await store.signalement(lift.id, by: Fixture.root).status == .submitted)
            #expect(try await store.interventions(InterventionFilter(), page: try PageRequest(), by: Fixture.root).items.isEmpty)

            let started = try await store.upsertIntervention(
                partnerId: f.partnerA.id, externalId: "VRH-7",
                Self.report(.inProgress, linking: [lift.id]), by: system)
            #expect(try await store.signalement(lift.id, by: Fixture.root).status == .inProgress)
            let done = try await store.upsertIntervention(
                partnerId: f.partnerA.id, externalId: "VRH-7",
                Self.report(.done, linking: [lift.id], doneAt: 1_790_110_000_000), by: system)
            #expect(done.intervention.version == 2)
            let resolved = try await store.signalement(lift.id, by: Fixture.root)
            #expect(resolved.status == .resolved)
            #expect(resolved.resolvedAt != nil)
            let events = try await store.signalementEvents(lift.id, page: try PageRequest(), by: Fixture.root).items
            #expect(events.map(\.toStatus) == ["submitted", "acknowledged", "in_progress", "resolved"])
            #expect(events.dropFirst().allSatisfy { $0.note == "intervention VRH-7 (\(started.intervention.id))" })
            #expect(events.dropFirst().allSatisfy { $0.actorRole == .partnerSystem })
            // Sending the done report again moves nothing more.
            let again = try await store.upsertIntervention(
                partnerId: f.partnerA.id, externalId: "VRH-7",
                Self.report(.done, linking: [lift.id], doneAt: 1_790_110_000_000), by: system)
            #expect(again.outcome == .unchanged)
            #expect(try await store.signalementEvents(lift.id, page: try PageRequest(), by: Fixture.root).items.count == 4)

            // A link made before stays valid when its signalement moves to another partner: the partner can
            // still report on its intervention, and that signalement is no longer moved by it.
            let other = try await store.createSignalement(
                NewSignalement(
                    categoryId: try await f.category("parties_communes"), description: "Porte de hall", location: places.inQPV), by: resident
            ).signalement
            _ = try await store.upsertIntervention(
                partnerId: f.partnerA.id, externalId: "VRH-8", Self.report(.planned, linking: [other.id]), by: system)
            _ = try await store.assignSignalement(other.id, to: places.villeA.id, note: "relève de la ville", ifVersion: nil, by: Fixture.root)
            let closed = try await store.upsertIntervention(
                partnerId: f.partnerA.id, externalId: "VRH-8",
                Self.report(.done, linking: [other.id], doneAt: 1_790_110_000_000), by: system)
            #expect(closed.outcome == .updated)
            #expect(try await store.signalement(other.id, by: Fixture.root).status == .assigned)
        }
    }

    @Test("a batch applies each item on its own and reports each result; 501 items write nothing", arguments: TestDatabases.engines)
    func batch(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let street = try await store.createSignalement(
                NewSignalement(
                    categoryId: try await f.category("voirie"), description: "Nid de poule", location: places.inCommuneA),
                by: try await f.actor(.resident)
            ).signalement
            let system = try await f.actor(.partnerSystem)
            _ = try await store.upsertIntervention(partnerId: f.partnerA.id, externalId: "B-1", Self.report(), by: system)
            let results = try await store.upsertInterventions(
                partnerId: f.partnerA.id,
                [
                    InterventionBatchItem(externalId: "B-1", report: Self.report()),
                    InterventionBatchItem(externalId: "B-2", report: Self.report(.inProgress)),
                    InterventionBatchItem(externalId: "B-3", report: Self.report(linking: [street.id])),
                    InterventionBatchItem(externalId: "B-4", report: Self.report(.done)),
                ], by: system)
            #expect(results.map { $0.upsert?.outcome.rawValue ?? "error" } == ["unchanged", "created", "error", "error"])
            #expect((results[2].error as? ValidationFailure)?.errors.map(\.field) == ["signalement_ids[0]"])
            #expect((results[3].error as? ValidationFailure)?.errors.map(\.field) == ["done_at"])
            let stored = try await store.interventions(InterventionFilter(), page: try PageRequest(), by: Fixture.root).items
            #expect(stored.map(\.externalId) == ["B-1", "B-2"])

            let tooMany = (0...500).map { InterventionBatchItem(externalId: "M-\($0)", report: Self.report()) }
            await #expect(throws: ValidationFailure(field: "items", message: "must hold at most 500 items (got 501)")) {
                try await store.upsertInterventions(partnerId: f.partnerA.id, tooMany, by: system)
            }
            await #expect(throws: ValidationFailure(field: "items[1].external_id", message: "repeats items[0]; send one report per intervention")) {
                try await store.upsertInterventions(
                    partnerId: f.partnerA.id,
                    [
                        InterventionBatchItem(externalId: "D", report: Self.report()),
                        InterventionBatchItem(externalId: "D", report: Self.report()),
                    ], by: system)
            }
            await #expect(throws: DomainError.forbidden("a partner pushes its own interventions only")) {
                try await store.upsertInterventions(
                    partnerId: f.partnerB.id, [InterventionBatchItem(externalId: "Z", report: Self.report())], by: system)
            }
            #expect(try await store.interventions(InterventionFilter(), page: try PageRequest(), by: Fixture.root).items.count == 2)
        }
    }

    @Test("lists filter by partner, territory, status, axis and period; each reader sees its own", arguments: TestDatabases.engines)
    func listing(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let system = try await f.actor(.partnerSystem)
            var located = Self.report(.done, doneAt: 1_767_268_800_000, axis: 3, realised: 10_000)  // 2026-01-01 13:00 Paris
            located.location = places.inQPV
            let inQPV = try await store.upsertIntervention(partnerId: f.partnerA.id, externalId: "L-1", located, by: system).intervention
            #expect(inQPV.report.territoryId == f.qpvA.id, "the territory comes from the location")
            _ = try await store.upsertIntervention(partnerId: f.partnerA.id, externalId: "L-2", Self.report(.planned), by: system)
            _ = try await store.upsertIntervention(
                partnerId: f.partnerB.id, externalId: "L-3", Self.report(.planned, territory: f.communeB.id),
                by: try await f.actor(of: f.technicianB))
            func ids(_ filter: InterventionFilter, _ actor: Actor = Fixture.root) async throws -> [String] {
                try await store.interventions(filter, page: try PageRequest(), by: actor).items.map(\.externalId)
            }
            #expect(try await ids(InterventionFilter()) == ["L-1", "L-2", "L-3"])
            #expect(try await ids(InterventionFilter(partnerId: f.partnerB.id)) == ["L-3"])
            #expect(try await ids(InterventionFilter(territoryId: f.communeA.id)) == ["L-1"])
            #expect(try await ids(InterventionFilter(status: .planned)) == ["L-2", "L-3"])
            #expect(try await ids(InterventionFilter(atfpbAxis: 3)) == ["L-1"])
            #expect(try await ids(InterventionFilter(from: "2026-01-01", to: "2026-01-01")) == ["L-1"])
            #expect(try await ids(InterventionFilter(), try await f.actor(.technician)) == ["L-1", "L-2"])
            #expect(try await ids(InterventionFilter(), try await f.actor(of: f.technicianB)) == ["L-3"])
            #expect(try await ids(InterventionFilter(), try await f.actor(.coordinator)) == ["L-1"])
            await #expect(throws: DomainError.notFound("intervention not found")) {
                try await store.intervention(inQPV.id, by: try await f.actor(of: f.technicianB))
            }
            await #expect(throws: DomainError.forbidden("your role (resident) may not do intervention.read")) {
                try await store.interventions(InterventionFilter(), page: try PageRequest(), by: try await f.actor(.resident))
            }
            await #expect(throws: ValidationFailure(field: "from", message: "must be a date YYYY-MM-DD")) {
                try await ids(InterventionFilter(from: "2026-13-01"))
            }
            let page = try await store.interventions(InterventionFilter(), page: try PageRequest(limit: 2), by: Fixture.root)
            let rest = try await store.interventions(InterventionFilter(), page: try PageRequest(limit: 2, cursor: page.nextCursor), by: Fixture.root)
            #expect(page.items.count == 2)
            #expect(rest.items.map(\.externalId) == ["L-3"])
            #expect(rest.nextCursor == nil)
        }
    }
}
