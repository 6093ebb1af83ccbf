import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

@Suite("Signalements: lifecycle")
struct SignalementWorkflowTests {
    /// A fixture with contours and one signalement filed by the resident in QPV A, routed to bailleur A.
    static func filed(_ store: Store, _ code: String = "parties_communes") async throws -> (Fixture, Contours, Signalement) {
        let f = try await Fixture.make(store)
        let places = try await f.drawContours()
        let signalement = try await store.createSignalement(
            NewSignalement(
                categoryId: try await f.category(code), description: "Ascenseur bloqué au 3e", location: places.inQPV),
            by: try await f.actor(.resident)
        ).signalement
        return (f, places, signalement)
    }

    @Test("the assigned partner acknowledges, starts, resolves; the reporter closes; every move is an event", arguments: TestDatabases.engines)
    func happyPath(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let (f, _, filed) = try await Self.filed(store)
            #expect(filed.partnerId == f.partnerA.id)
            let technician = try await f.actor(.technician)
            let system = try await f.actor(.partnerSystem)
            _ = try await store.transitionSignalement(filed.id, to: .acknowledged, note: nil, ifVersion: 1, by: technician)
            _ = try await store.transitionSignalement(filed.id, to: .inProgress, note: "équipe sur place", ifVersion: nil, by: system)
            let resolved = try await store.transitionSignalement(filed.id, to: .resolved, note: nil, ifVersion: nil, by: technician)
            #expect(resolved.resolvedAt != nil)
            #expect(resolved.version == 4)
            let closed = try await store.transitionSignalement(filed.id, to: .closed, note: nil, ifVersion: nil, by: try await f.actor(.resident))
            #expect(closed.status == .closed)
            #expect(closed.closedAt != nil)
            let events = try await store.signalementEvents(filed.id, page: try PageRequest(), by: Fixture.root).items
            #expect(events.map(\.toStatus) == ["submitted", "acknowledged", "in_progress", "resolved", "closed"])
            #expect(events.map(\.fromStatus) == [nil, "submitted", "acknowledged", "in_progress", "resolved"])
            #expect(events.map(\.actorRole) == [.resident, .technician, .partnerSystem, .technician, .resident])
            #expect(events[2].note == "équipe sur place")
        }
    }

    @Test("a move the table does not allow is a 409 naming the allowed ones; a wrong party is refused", arguments: TestDatabases.engines)
    func refusals(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let (f, _, filed) = try await Self.filed(store)
            await #expect(
                throws: DomainError.conflict(
                    "a submitted signalement cannot become resolved; allowed: acknowledged, assigned, rejected, needs_arbitration, duplicate")
            ) {
                try await store.transitionSignalement(filed.id, to: .resolved, note: nil, ifVersion: nil, by: Fixture.root)
            }
            // The reporter may not acknowledge; an elected official of the territory neither.
            for role in [Role.resident, .elected] {
                await #expect(throws: DomainError.forbidden("only the admin, assigned partner, coordinator may move a signalement to acknowledged")) {
                    try await store.transitionSignalement(filed.id, to: .acknowledged, note: nil, ifVersion: nil, by: try await f.actor(role))
                }
            }
            // Another partner's technician does not even see it.
            let technicianB = try await f.actor(of: f.technicianB)
            await #expect(throws: DomainError.notFound("signalement not found")) {
                try await store.transitionSignalement(filed.id, to: .acknowledged, note: nil, ifVersion: nil, by: technicianB)
            }
            // A stale version, a missing reason, a state reached through another endpoint.
            await #expect(throws: DomainError.versionMismatch(current: 1)) {
                try await store.transitionSignalement(filed.id, to: .acknowledged, note: nil, ifVersion: 7, by: Fixture.root)
            }
            await #expect(throws: ValidationFailure(field: "note", message: "is required to move a signalement to rejected")) {
                try await store.transitionSignalement(filed.id, to: .rejected, note: nil, ifVersion: nil, by: try await f.actor(.technician))
            }
            await #expect(throws: ValidationFailure(field: "to", message: "use POST /v1/signalements/{id}/assign to move a signalement to assigned"))
            {
                try await store.transitionSignalement(filed.id, to: .assigned, note: nil, ifVersion: nil, by: Fixture.root)
            }
            #expect(try await store.signalement(filed.id, by: Fixture.root).version == 1)
        }
    }

    @Test("the partner hands it back; a coordinator assigns it by hand and the due date follows", arguments: TestDatabases.engines)
    func arbitration(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let (f, places, filed) = try await Self.filed(store)
            // Actors are taken before the clock moves past the fixture tokens' hour.
            let technician = try await f.actor(.technician), coordinator = try await f.actor(.coordinator)
            let resident = try await f.actor(.resident)
            clock.advance(1_800)
            let handedBack = try await store.transitionSignalement(
                filed.id, to: .needsArbitration, note: "pas notre patrimoine",
                ifVersion: nil, by: technician)
            #expect(handedBack.partnerId == nil)
            await #expect(throws: DomainError.notFound("signalement not found")) {
                try await store.assignSignalement(filed.id, to: places.villeA.id, note: nil, ifVersion: nil, by: technician)
            }
            await #expect(throws: ValidationFailure(field: "partner_id", message: "is not a known partner")) {
                try await store.assignSignalement(filed.id, to: "par_nope", note: nil, ifVersion: nil, by: coordinator)
            }
            await #expect(throws: ValidationFailure(field: "partner_id", message: "does not work in this signalement's territory")) {
                try await store.assignSignalement(filed.id, to: f.partnerB.id, note: nil, ifVersion: nil, by: Fixture.root)
            }
            let assigned = try await store.assignSignalement(
                filed.id, to: places.villeA.id, note: "la ville gère ce hall",
                ifVersion: nil, by: coordinator)
            #expect(assigned.status == .assigned)
            #expect(assigned.partnerId == places.villeA.id)
            // Still counted from the filing: 24 h for common areas.
            #expect(assigned.dueAt == filed.dueAt)
            // Recategorised as roads (15 days), the due date moves.
            let corrected = try await store.updateSignalement(
                filed.id, SignalementChanges(categoryId: try await f.category("voirie"), priority: .high),
                ifVersion: assigned.version, by: coordinator)
            #expect(corrected.dueAt == filed.createdAt + 15 * 86_400_000)
            #expect(corrected.priority == .high)
            await #expect(throws: DomainError.versionMismatch(current: corrected.version)) {
                try await store.updateSignalement(filed.id, SignalementChanges(description: "autre"), ifVersion: 1, by: Fixture.root)
            }
            // The old partner's staff lost it; the resident may not correct.
            await #expect(throws: DomainError.notFound("signalement not found")) {
                try await store.updateSignalement(filed.id, SignalementChanges(description: "x"), ifVersion: nil, by: technician)
            }
            await #expect(throws: DomainError.forbidden("your role (resident) may not do signalement.update")) {
                try await store.updateSignalement(filed.id, SignalementChanges(description: "x"), ifVersion: nil, by: resident)
            }
            let actions = try await store.signalementEvents(filed.id, page: try PageRequest(), by: Fixture.root).items.map(\.action)
            #expect(actions == ["created", "status_changed", "assigned", "updated"])
        }
    }

    @Test("the reporter reopens within the window, not after", arguments: TestDatabases.engines)
    func reopening(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let (f, _, filed) = try await Self.filed(store)
            let technician = try await f.actor(.technician)
            let resident = try await f.actor(.resident)
            let coordinator = try await f.actor(.coordinator)
            _ = try await store.transitionSignalement(filed.id, to: .acknowledged, note: nil, ifVersion: nil, by: technician)
            _ = try await store.transitionSignalement(filed.id, to: .resolved, note: nil, ifVersion: nil, by: technician)
            clock.advance(29 * 86_400)
            let reopened = try await store.transitionSignalement(filed.id, to: .reopened, note: "toujours en panne", ifVersion: nil, by: resident)
            #expect(reopened.status == .reopened)
            #expect(reopened.resolvedAt == nil)
            _ = try await store.transitionSignalement(filed.id, to: .resolved, note: nil, ifVersion: nil, by: technician)
            let resolvedAgain = try await store.signalement(filed.id, by: resident)
            let window = store.settings.reopenWindow
            let now = clock.now().storedMilliseconds
            #expect(SignalementWorkflow.allowed(for: resident, resolvedAgain, reopenWindow: window, now: now) == [.closed, .reopened])
            clock.advance(31 * 86_400)
            let later = clock.now().storedMilliseconds
            #expect(SignalementWorkflow.allowed(for: resident, resolvedAgain, reopenWindow: window, now: later) == [.closed])
            #expect(SignalementWorkflow.allowed(for: coordinator, resolvedAgain, reopenWindow: window, now: later) == [.closed, .reopened])
            await #expect(throws: DomainError.conflict("the reopening window (30 days after resolution) has passed")) {
                try await store.transitionSignalement(filed.id, to: .reopened, note: "encore", ifVersion: nil, by: resident)
            }
            // A coordinator still may.
            #expect(
                try await store.transitionSignalement(
                    filed.id, to: .reopened, note: "contrôle", ifVersion: nil,
                    by: coordinator
                ).status == .reopened)
        }
    }

    @Test("confirmations count once per resident; a duplicate merges confirmations and followers", arguments: TestDatabases.engines)
    func confirmationsAndDuplicates(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let (f, places, original) = try await Self.filed(store)
            func resident(_ name: String) async throws -> Actor {
                let user = try await store.registerResident(email: "\(name)@habitants.test", password: "long enough pw", displayName: nil)
                return try await f.actor(of: user)
            }
            let voisine = try await resident("voisine")
            let voisin = try await resident("voisin")
            #expect(try await store.confirmSignalement(original.id, by: voisine) == Confirmation(created: true, confirmationsCount: 1))
            #expect(try await store.confirmSignalement(original.id, by: voisine) == Confirmation(created: false, confirmationsCount: 1))
            await #expect(throws: DomainError.conflict("you reported this signalement")) {
                try await store.confirmSignalement(original.id, by: try await f.actor(.resident))
            }
            await #expect(throws: DomainError.forbidden("your role (technician) may not do signalement.confirm")) {
                try await store.confirmSignalement(original.id, by: try await f.actor(.technician))
            }
            // The neighbour files the same thing again; a third confirms that one.
            let again = try await store.createSignalement(
                NewSignalement(
                    categoryId: original.categoryId, description: "ascenseur", location: places.inQPV), by: voisin)
            #expect(again.possibleDuplicates.map(\.id) == [original.id])
            _ = try await store.confirmSignalement(again.signalement.id, by: try await resident("troisieme"))
            let merged = try await store.markDuplicate(again.signalement.id, of: original.id, note: nil, by: try await f.actor(.technician))
            #expect(merged.status == .duplicate)
            #expect(merged.duplicateOf == original.id)
            let after = try await store.signalement(original.id, by: Fixture.root)
            #expect(after.confirmationsCount == 3)  // voisine, voisin (its reporter), troisième
            #expect(after.followersCount == 4)  // the reporter and the three
            await #expect(throws: DomainError.conflict("only open signalements can be confirmed (this one is duplicate)")) {
                try await store.confirmSignalement(again.signalement.id, by: voisine)
            }
            await #expect(throws: ValidationFailure(field: "original_id", message: "a signalement cannot duplicate itself")) {
                try await store.markDuplicate(original.id, of: original.id, note: nil, by: Fixture.root)
            }
        }
    }

    @Test("internal comments are for the partner and coordinators; residents comment their own", arguments: TestDatabases.engines)
    func comments(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let (f, _, filed) = try await Self.filed(store)
            _ = try await store.commentSignalement(filed.id, body: "Merci de faire vite", visibility: .public, by: try await f.actor(.resident))
            _ = try await store.commentSignalement(
                filed.id, body: "Pièce commandée, 3 jours", visibility: .internal, by: try await f.actor(.technician))
            await #expect(throws: DomainError.forbidden("internal comments are for the assigned partner, coordinators and admins")) {
                try await store.commentSignalement(filed.id, body: "x", visibility: .internal, by: try await f.actor(.elected))
            }
            await #expect(throws: DomainError.forbidden("internal comments are for the assigned partner, coordinators and admins")) {
                try await store.commentSignalement(filed.id, body: "x", visibility: .internal, by: try await f.actor(.resident))
            }
            let other = try await store.registerResident(email: "autre@habitants.test", password: "long enough pw", displayName: nil)
            let otherActor = try await f.actor(of: other)
            await #expect(throws: DomainError.forbidden("a resident comments on their own signalements; others may confirm them")) {
                try await store.commentSignalement(filed.id, body: "moi aussi", visibility: .public, by: otherActor)
            }
            func bodies(_ actor: Actor) async throws -> [String] {
                try await store.signalementComments(filed.id, page: try PageRequest(), by: actor).items.map(\.body)
            }
            #expect(try await bodies(try await f.actor(.technician)) == ["Merci de faire vite", "Pièce commandée, 3 jours"])
            #expect(try await bodies(try await f.actor(.coordinator)) == ["Merci de faire vite", "Pièce commandée, 3 jours"])
            #expect(try await bodies(try await f.actor(.resident)) == ["Merci de faire vite"])
            #expect(try await bodies(try await f.actor(.elected)) == ["Merci de faire vite"])
            // Who wrote the public comment: hidden from those who may not see personal data.
            let seenByElected = try await store.signalementComments(filed.id, page: try PageRequest(), by: try await f.actor(.elected)).items
            #expect(seenByElected[0].authorId == nil)
            #expect(seenByElected[0].authorRole == .resident)
            let seenByOther = try await store.signalementEvents(filed.id, page: try PageRequest(), by: otherActor).items
            #expect(seenByOther.map(\.action) == ["created", "commented"])
            #expect(seenByOther.allSatisfy { $0.actorId == nil })
            #expect(seenByOther[0].note == nil)
        }
    }

    @Test("after a transfer, the new partner does not read the previous partner's internal notes", arguments: TestDatabases.engines)
    func notesStayWithTheirPartner(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let (f, places, filed) = try await Self.filed(store)
            _ = try await store.commentSignalement(
                filed.id, body: "Locataire connu du service", visibility: .internal, by: try await f.actor(.technician))
            _ = try await store.commentSignalement(filed.id, body: "Voir avec la ville", visibility: .internal, by: try await f.actor(.coordinator))
            _ = try await store.assignSignalement(filed.id, to: places.villeA.id, note: nil, ifVersion: nil, by: try await f.actor(.coordinator))
            let agent = try await store.createUser(
                NewUser(email: "agent@ville.test", role: .technician, partnerId: places.villeA.id), by: Fixture.root)
            let cityTechnician = try await f.actor(of: agent)
            let seen = try await store.signalementComments(filed.id, page: try PageRequest(), by: cityTechnician).items.map(\.body)
            #expect(seen == ["Voir avec la ville"])
            let coordinatorSees = try await store.signalementComments(filed.id, page: try PageRequest(), by: try await f.actor(.coordinator))
            #expect(coordinatorSees.items.count == 2)
            let events = try await store.signalementEvents(filed.id, page: try PageRequest(), by: cityTechnician).items
            #expect(!events.contains { $0.action == "commented_internally" })
        }
    }

    @Test("the reporter does not learn who else confirmed", arguments: TestDatabases.engines)
    func confirmersStayAnonymous(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let (f, _, filed) = try await Self.filed(store)
            let neighbour = try await store.registerResident(email: "voisine@habitants.test", password: "long enough pw", displayName: nil)
            let actor = try await f.actor(of: neighbour)
            _ = try await store.confirmSignalement(filed.id, by: actor)
            let seenByReporter = try await store.signalementEvents(filed.id, page: try PageRequest(), by: try await f.actor(.resident)).items
            #expect(seenByReporter.map(\.action) == ["created", "confirmed"])
            #expect(seenByReporter[0].actorId == f.users[.resident]!.id)
            #expect(seenByReporter[1].actorId == nil)
            let seenByPartner = try await store.signalementEvents(filed.id, page: try PageRequest(), by: try await f.actor(.technician)).items
            #expect(seenByPartner[1].actorId == neighbour.id)
        }
    }
}
