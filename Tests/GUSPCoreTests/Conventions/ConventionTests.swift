import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

@Suite("Conventions: signatures, status, amendments, versions")
struct ConventionTests {
    @Test("a draft is signed once per signatory; the last signature makes it active in its period", arguments: TestDatabases.engines)
    func signing(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let draft = try await store.createConvention(f.guspConvention(people), by: try await f.actor(.coordinator))
            #expect(draft.status == .draft)
            #expect(draft.version == 1)
            #expect(draft.revision == 1)
            #expect(draft.actionSheets.map(\.status) == [.planned])
            #expect(draft.actionSheets[0].terms.budgetCents == 1_500_000)
            let elected = try await f.actor(of: people.electedVille)
            let first = try await store.signConvention(draft.id, by: elected)
            #expect(!first.versionInForce)
            #expect(first.convention.status == .draft)
            #expect(first.convention.signatures.count == 1)
            let signed = "partner \(first.signature.partnerId) already signed version 1 (by \(first.signature.signedBy))"
            await #expect(throws: DomainError.conflict(signed)) { try await store.signConvention(draft.id, by: elected) }
            // Neither an official of another partner (who does not see it), nor one without a partner, nor a technician signs.
            await #expect(throws: DomainError.notFound("convention not found")) {
                try await store.signConvention(draft.id, by: try await f.actor(of: people.electedB))
            }
            await #expect(throws: DomainError.forbidden("only elected officials and coordinators of a signatory partner sign this convention")) {
                try await store.signConvention(draft.id, by: try await f.actor(.elected))
            }
            await #expect(throws: DomainError.forbidden("your role (technician) may not do convention.sign")) {
                try await store.signConvention(draft.id, by: try await f.actor(.technician))
            }
            let last = try await store.signConvention(draft.id, by: try await f.actor(of: people.bailleurCoordinator))
            #expect(last.versionInForce)
            #expect(last.versionNumber == 1)
            #expect(last.convention.status == .active)
            #expect(last.convention.signedAt == clock.now().storedMilliseconds)
            #expect(Set(last.convention.signatures.map(\.partnerId)) == [people.ville.id, f.partnerA.id])
            #expect(last.convention.signatures.map(\.signerRole).sorted() == [.coordinator, .elected])
            // Nothing awaits signature any more.
            await #expect(throws: DomainError.conflict("nothing awaits signature: the convention is signed and no amendment is pending")) {
                try await store.signConvention(draft.id, by: elected)
            }
            // Past its end date it is expired; the clock decides.
            clock.advance(3 * 365 * 86_400)
            #expect(try await store.convention(draft.id, by: Fixture.root).status == .expired)
            let events = try await store.events(resourceType: .convention, resourceId: draft.id, page: try PageRequest(), by: Fixture.root).items
            #expect(events.map(\.action) == ["created", "signed", "signed", "status_changed"])
        }
    }

    @Test("editing a draft drops the signatures already given to it", arguments: TestDatabases.engines)
    func editingDropsSignatures(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let coordinator = try await f.actor(.coordinator)
            let draft = try await store.createConvention(f.guspConvention(people), by: coordinator)
            _ = try await store.signConvention(draft.id, by: try await f.actor(of: people.electedVille))
            let published = try await store.updateConvention(draft.id, ConventionDraftChanges(budgetsPublic: true), ifRevision: 2, by: coordinator)
            #expect(published.signatures.count == 1)
            await #expect(throws: DomainError.versionMismatch(current: 3)) {
                try await store.updateConvention(
                    draft.id, ConventionDraftChanges(content: ConventionChanges(endDate: "2029-12-31")),
                    ifRevision: 2, by: coordinator)
            }
            let edited = try await store.updateConvention(
                draft.id, ConventionDraftChanges(content: ConventionChanges(endDate: "2029-12-31")),
                ifRevision: 3, by: coordinator)
            #expect(edited.signatures.isEmpty)
            #expect(edited.content.endDate == "2029-12-31")
            #expect(edited.status == .draft)
            let version = try await store.conventionVersion(draft.id, number: 1, by: Fixture.root)
            #expect(version.content.endDate == "2029-12-31")
            #expect(version.signatures.isEmpty)
        }
    }

    @Test("a convention signed before its start date is signed, then active; a terminated one stops", arguments: TestDatabases.engines)
    func statusFollowsTheCalendar(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let signed = try await f.signedConvention(people, f.guspConvention(people, start: "2027-01-01", end: "2029-12-31"))
            #expect(signed.status == .signed)
            let coordinator = try await f.actor(.coordinator)
            clock.advance(120 * 86_400)
            #expect(try await store.convention(signed.id, by: Fixture.root).status == .active)
            let list = try await store.conventions(ConventionFilter(status: .active), page: try PageRequest(), by: Fixture.root)
            #expect(list.items.map(\.id) == [signed.id])
            await #expect(throws: ValidationFailure(field: "note", message: "is required to terminate a convention")) {
                try await store.terminateConvention(signed.id, note: nil, by: coordinator)
            }
            let ended = try await store.terminateConvention(signed.id, note: "fin anticipée", by: coordinator)
            #expect(ended.status == .terminated)
            #expect(ended.terminatedAt != nil)
            await #expect(throws: DomainError.conflict("the convention is already terminated")) {
                try await store.terminateConvention(signed.id, note: "encore", by: coordinator)
            }
        }
    }

    @Test("an amendment needs every signature before it takes effect; every version stays readable", arguments: TestDatabases.engines)
    func amendments(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let coordinator = try await f.actor(.coordinator)
            let draft = try await store.createConvention(f.guspConvention(people), by: coordinator)
            await #expect(throws: DomainError.conflict("a draft is edited directly (PATCH /v1/conventions/\(draft.id)), not amended")) {
                try await store.amendConvention(
                    draft.id, NewAmendment(summary: "trop tôt", changes: ConventionChanges(endDate: "2030-12-31")),
                    by: coordinator)
            }
            let signed = try await f.signedConvention(people, f.guspConvention(people))
            let proposal = try await store.amendConvention(
                signed.id,
                NewAmendment(
                    number: 1, summary: "Prolongation jusqu'en 2030",
                    changes: ConventionChanges(
                        endDate: "2030-12-31",
                        actionSheets: [
                            ActionSheetDraft(
                                axis: "A1", title: "Médiation de soirée", objective: "Présence le soir", leadPartnerId: people.ville.id)
                        ])),
                by: coordinator)
            #expect(proposal.number == 2)
            #expect(proposal.inForceAt == nil)
            #expect(proposal.changes == ["end_date", "action_sheets"])
            // Until every signatory signs, the convention says what version 1 says.
            var current = try await store.convention(signed.id, by: Fixture.root)
            #expect(current.version == 1)
            #expect(current.content.endDate == "2028-12-31")
            #expect(current.pendingAmendment?.number == 2)
            await #expect(throws: DomainError.conflict("amendment 1 awaits signatures; it must take effect before another is proposed")) {
                try await store.amendConvention(
                    signed.id, NewAmendment(summary: "autre", changes: ConventionChanges(title: "Autre")), by: coordinator)
            }
            _ = try await store.signConvention(signed.id, by: try await f.actor(of: people.electedVille))
            current = try await store.convention(signed.id, by: Fixture.root)
            #expect(current.version == 1)
            #expect(current.content.endDate == "2028-12-31")
            let last = try await store.signConvention(signed.id, by: try await f.actor(of: people.bailleurCoordinator))
            #expect(last.versionInForce)
            #expect(last.versionNumber == 2)
            current = last.convention
            #expect(current.version == 2)
            #expect(current.content.endDate == "2030-12-31")
            #expect(current.pendingAmendment == nil)
            #expect(current.actionSheets.map(\.terms.title) == ["Sur-entretien des halls", "Médiation de soirée"])
            #expect(current.status == .active)
            // Overlapping numbers: amendment 1 exists (409); a gap is a 422 naming the next number.
            await #expect(throws: DomainError.conflict("amendment 1 already exists")) {
                try await store.amendConvention(
                    signed.id, NewAmendment(number: 1, summary: "doublon", changes: ConventionChanges(title: "X")),
                    by: coordinator)
            }
            await #expect(throws: ValidationFailure(field: "number", message: "must be 2, the next amendment number")) {
                try await store.amendConvention(
                    signed.id, NewAmendment(number: 5, summary: "saut", changes: ConventionChanges(title: "X")),
                    by: coordinator)
            }
            let versions = try await store.conventionVersions(signed.id, by: Fixture.root)
            #expect(versions.map(\.number) == [1, 2])
            #expect(versions[0].content.endDate == "2028-12-31")
            #expect(versions[0].content.actionSheets.count == 1)
            #expect(versions[1].summary == "Prolongation jusqu'en 2030")
            #expect(versions[1].signatures.count == 2)
            #expect(try await store.conventionVersion(signed.id, number: 1, by: Fixture.root).inForceAt != nil)
            await #expect(throws: DomainError.notFound("version 3 of this convention not found")) {
                try await store.conventionVersion(signed.id, number: 3, by: Fixture.root)
            }
            // A signed convention changes only by amendment.
            let byAmendment = "an active convention changes only by amendment (POST /v1/conventions/\(signed.id)/amendments)"
            await #expect(throws: DomainError.conflict(byAmendment)) {
                try await store.updateConvention(
                    signed.id, ConventionDraftChanges(content: ConventionChanges(title: "Nouveau titre")),
                    ifRevision: nil, by: coordinator)
            }
        }
    }

    @Test("a pending amendment can be withdrawn; its number is not reused", arguments: TestDatabases.engines)
    func withdrawal(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let coordinator = try await f.actor(.coordinator)
            let signed = try await f.signedConvention(people, f.guspConvention(people))
            _ = try await store.amendConvention(
                signed.id, NewAmendment(summary: "Refusé", changes: ConventionChanges(endDate: "2031-12-31")),
                by: coordinator)
            _ = try await store.signConvention(signed.id, by: try await f.actor(of: people.electedVille))
            await #expect(throws: DomainError.forbidden("your role (technician) may not do convention.amend")) {
                try await store.withdrawAmendment(signed.id, number: 2, note: "refus", by: try await f.actor(.technician))
            }
            await #expect(throws: ValidationFailure(field: "note", message: "is required to withdraw an amendment")) {
                try await store.withdrawAmendment(signed.id, number: 2, note: nil, by: coordinator)
            }
            let withdrawn = try await store.withdrawAmendment(signed.id, number: 2, note: "refusé par le bailleur", by: coordinator)
            #expect(withdrawn.withdrawnAt != nil)
            #expect(withdrawn.inForceAt == nil)
            var current = try await store.convention(signed.id, by: Fixture.root)
            #expect(current.pendingAmendment == nil)
            #expect(current.version == 1)
            #expect(current.content.endDate == "2028-12-31")
            await #expect(throws: DomainError.conflict("nothing awaits signature: the convention is signed and no amendment is pending")) {
                try await store.signConvention(signed.id, by: try await f.actor(of: people.bailleurCoordinator))
            }
            await #expect(throws: DomainError.conflict("version 2 is not a pending amendment of this convention")) {
                try await store.withdrawAmendment(signed.id, number: 2, note: "encore", by: coordinator)
            }
            let next = try await store.amendConvention(
                signed.id,
                NewAmendment(
                    number: 2, summary: "Autre",
                    changes: ConventionChanges(endDate: "2030-12-31")), by: coordinator)
            #expect(next.number == 3)
            _ = try await store.signConvention(signed.id, by: try await f.actor(of: people.electedVille))
            current = try await store.signConvention(signed.id, by: try await f.actor(of: people.bailleurCoordinator)).convention
            #expect(current.version == 3)
            #expect(current.content.endDate == "2030-12-31")
            #expect(try await store.conventionVersions(signed.id, by: Fixture.root).map(\.number) == [1, 2, 3])
        }
    }

    @Test(
        "partners working there but not signing read the signed convention, not its draft, budgets or history",
        arguments: TestDatabases.engines)
    func outsidePartners(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let association = try await store.createPartner(
                NewPartner(kind: .association, name: "Régie de quartier", territoryIds: [f.qpvA.id]),
                by: Fixture.root)
            let staff = try await f.actor(
                of: try await store.createUser(
                    NewUser(
                        email: "regie@a.test", role: .technician,
                        partnerId: association.id), by: Fixture.root))
            let draft = try await store.createConvention(f.guspConvention(people), by: try await f.actor(.coordinator))
            await #expect(throws: DomainError.notFound("convention not found")) { try await store.convention(draft.id, by: staff) }
            _ = try await store.signConvention(draft.id, by: try await f.actor(of: people.electedVille))
            _ = try await store.signConvention(draft.id, by: try await f.actor(of: people.bailleurCoordinator))
            let read = try await store.convention(draft.id, by: staff)
            #expect(read.budgetsHidden)
            #expect(read.actionSheets[0].terms.budgetCents == nil)
            #expect(try await store.convention(draft.id, by: try await f.actor(.technician)).actionSheets[0].terms.budgetCents == 1_500_000)
            await #expect(throws: DomainError.forbidden("the history of a convention is for its signatories and the coordination")) {
                try await store.events(resourceType: .convention, resourceId: draft.id, page: try PageRequest(), by: staff)
            }
        }
    }
}
