import Foundation
import GUSPCore
import GUSPTestSupport
import Testing
import GUSPDatabase

@Suite("Conventions: signatures, status, amendments, versions")
struct ConventionTests {
    @Test("a draft is signed once per signatory; the last signature makes it active in its period", arguments: TestDatabases.engines)
    func signing(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let draft = try await store.createConvention(f.guspConvention(people), by: try await f.actor(.coordinator))
            #expect(draft.status == .draft && draft.version == 1 && draft.revision == 1)
            #expect(draft.actionSheets.map(\.status) == [.planned] && draft.actionSheets[0].terms.budgetCents == 1_500_000)
            let elected = try await f.actor(of: people.electedVille)
            let first = try await store.signConvention(draft.id, by: elected)
            #expect(!first.versionInForce && first.convention.status == .draft && first.convention.signatures.count == 1)
            await #expect(throws: DomainError.self) { try await store.signConvention(draft.id, by: elected) }
            // Neither an official of another partner, nor one without a partner, nor a technician signs.
            for outsider in [try await f.actor(of: people.electedB), try await f.actor(.elected)] {
                await #expect(throws: DomainError.self) { try await store.signConvention(draft.id, by: outsider) }
            }
            await #expect(throws: DomainError.self) { try await store.signConvention(draft.id, by: try await f.actor(.technician)) }
            let last = try await store.signConvention(draft.id, by: try await f.actor(of: people.bailleurCoordinator))
            #expect(last.versionInForce && last.versionNumber == 1)
            #expect(last.convention.status == .active && last.convention.signedAt == clock.now().storedMilliseconds)
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
                try await store.updateConvention(draft.id, ConventionDraftChanges(content: ConventionChanges(endDate: "2029-12-31")),
                                                 ifRevision: 2, by: coordinator)
            }
            let edited = try await store.updateConvention(draft.id, ConventionDraftChanges(content: ConventionChanges(endDate: "2029-12-31")),
                                                          ifRevision: 3, by: coordinator)
            #expect(edited.signatures.isEmpty && edited.content.endDate == "2029-12-31" && edited.status == .draft)
            let version = try await store.conventionVersion(draft.id, number: 1, by: Fixture.root)
            #expect(version.content.endDate == "2029-12-31" && version.signatures.isEmpty)
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
            await #expect(throws: ValidationFailure.self) {
                try await store.terminateConvention(signed.id, note: nil, by: coordinator)
            }
            let ended = try await store.terminateConvention(signed.id, note: "fin anticipée", by: coordinator)
            #expect(ended.status == .terminated && ended.terminatedAt != nil)
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
            await #expect(throws: DomainError.self) {
                try await store.amendConvention(draft.id, NewAmendment(summary: "trop tôt", changes: ConventionChanges(endDate: "2030-12-31")),
                                                by: coordinator)
            }
            let signed = try await f.signedConvention(people, f.guspConvention(people))
            let proposal = try await store.amendConvention(signed.id, NewAmendment(
                number: 1, summary: "Prolongation jusqu'en 2030",
                changes: ConventionChanges(endDate: "2030-12-31", actionSheets: [ActionSheetDraft(
                    axis: "A1", title: "Médiation de soirée", objective: "Présence le soir", leadPartnerId: people.ville.id)])),
                by: coordinator)
            #expect(proposal.number == 2 && proposal.inForceAt == nil && proposal.changes == ["end_date", "action_sheets"])
            // Until every signatory signs, the convention says what version 1 says.
            var current = try await store.convention(signed.id, by: Fixture.root)
            #expect(current.version == 1 && current.content.endDate == "2028-12-31" && current.pendingAmendment?.number == 2)
            await #expect(throws: DomainError.conflict("amendment 1 awaits signatures; it must take effect before another is proposed")) {
                try await store.amendConvention(signed.id, NewAmendment(summary: "autre", changes: ConventionChanges(title: "Autre")), by: coordinator)
            }
            _ = try await store.signConvention(signed.id, by: try await f.actor(of: people.electedVille))
            current = try await store.convention(signed.id, by: Fixture.root)
            #expect(current.version == 1 && current.content.endDate == "2028-12-31")
            let last = try await store.signConvention(signed.id, by: try await f.actor(of: people.bailleurCoordinator))
            #expect(last.versionInForce && last.versionNumber == 2)
            current = last.convention
            #expect(current.version == 2 && current.content.endDate == "2030-12-31" && current.pendingAmendment == nil)
            #expect(current.actionSheets.map(\.terms.title) == ["Sur-entretien des halls", "Médiation de soirée"])
            #expect(current.status == .active)
            // Overlapping numbers: amendment 1 exists (409); a gap is a 422 naming the next number.
            await #expect(throws: DomainError.conflict("amendment 1 already exists")) {
                try await store.amendConvention(signed.id, NewAmendment(number: 1, summary: "doublon", changes: ConventionChanges(title: "X")),
                                                by: coordinator)
            }
            await #expect(throws: ValidationFailure(field: "number", message: "must be 2, the next amendment number")) {
                try await store.amendConvention(signed.id, NewAmendment(number: 5, summary: "saut", changes: ConventionChanges(title: "X")),
                                                by: coordinator)
            }
            let versions = try await store.conventionVersions(signed.id, by: Fixture.root)
            #expect(versions.map(\.number) == [1, 2])
            #expect(versions[0].content.endDate == "2028-12-31" && versions[0].content.actionSheets.count == 1)
            #expect(versions[1].summary == "Prolongation jusqu'en 2030" && versions[1].signatures.count == 2)
            #expect(try await store.conventionVersion(signed.id, number: 1, by: Fixture.root).inForceAt != nil)
            await #expect(throws: DomainError.self) { try await store.conventionVersion(signed.id, number: 3, by: Fixture.root) }
            // A signed convention changes only by amendment.
            await #expect(throws: DomainError.self) {
                try await store.updateConvention(signed.id, ConventionDraftChanges(content: ConventionChanges(title: "Nouveau titre")),
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
            _ = try await store.amendConvention(signed.id, NewAmendment(summary: "Refusé", changes: ConventionChanges(endDate: "2031-12-31")),
                                                by: coordinator)
            _ = try await store.signConvention(signed.id, by: try await f.actor(of: people.electedVille))
            await #expect(throws: DomainError.self) {
                try await store.withdrawAmendment(signed.id, number: 2, note: "refus", by: try await f.actor(.technician))
            }
            await #expect(throws: ValidationFailure.self) { try await store.withdrawAmendment(signed.id, number: 2, note: nil, by: coordinator) }
            let withdrawn = try await store.withdrawAmendment(signed.id, number: 2, note: "refusé par le bailleur", by: coordinator)
            #expect(withdrawn.withdrawnAt != nil && withdrawn.inForceAt == nil)
            var current = try await store.convention(signed.id, by: Fixture.root)
            #expect(current.pendingAmendment == nil && current.version == 1 && current.content.endDate == "2028-12-31")
            await #expect(throws: DomainError.conflict("nothing awaits signature: the convention is signed and no amendment is pending")) {
                try await store.signConvention(signed.id, by: try await f.actor(of: people.bailleurCoordinator))
            }
            await #expect(throws: DomainError.conflict("version 2 is not a pending amendment of this convention")) {
                try await store.withdrawAmendment(signed.id, number: 2, note: "encore", by: coordinator)
            }
            let next = try await store.amendConvention(signed.id, NewAmendment(number: 2, summary: "Autre",
                                                                               changes: ConventionChanges(endDate: "2030-12-31")), by: coordinator)
            #expect(next.number == 3)
            _ = try await store.signConvention(signed.id, by: try await f.actor(of: people.electedVille))
            current = try await store.signConvention(signed.id, by: try await f.actor(of: people.bailleurCoordinator)).convention
            #expect(current.version == 3 && current.content.endDate == "2030-12-31")
            #expect(try await store.conventionVersions(signed.id, by: Fixture.root).map(\.number) == [1, 2, 3])
        }
    }

    @Test("partners working there but not signing read the signed convention, not its draft, budgets or history",
          arguments: TestDatabases.engines)
    func outsidePartners(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let association = try await store.createPartner(NewPartner(kind: .association, name: "Régie de quartier", territoryIds: [f.qpvA.id]),
                                                            by: Fixture.root)
            let staff = try await f.actor(of: try await store.createUser(NewUser(email: "regie@a.test", role: .technician,
                                                                                 partnerId: association.id), by: Fixture.root))
            let draft = try await store.createConvention(f.guspConvention(people), by: try await f.actor(.coordinator))
            await #expect(throws: DomainError.notFound("convention not found")) { try await store.convention(draft.id, by: staff) }
            _ = try await store.signConvention(draft.id, by: try await f.actor(of: people.electedVille))
            _ = try await store.signConvention(draft.id, by: try await f.actor(of: people.bailleurCoordinator))
            let read = try await store.convention(draft.id, by: staff)
            #expect(read.budgetsHidden && read.actionSheets[0].terms.budgetCents == nil)
            #expect(try await store.convention(draft.id, by: try await f.actor(.technician)).actionSheets[0].terms.budgetCents == 1_500_000)
            await #expect(throws: DomainError.self) {
                try await store.events(resourceType: .convention, resourceId: draft.id, page: try PageRequest(), by: staff)
            }
        }
    }

    @Test("bad conventions are refused field by field and nothing is written", arguments: TestDatabases.engines)
    func validation(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let coordinator = try await f.actor(.coordinator)
            let category = try await f.category("proprete")
            var negative = f.guspConvention(people, commitments: [
                ServiceCommitment(categoryId: category, partnerId: nil, delay: Commitment(amount: -4, unit: .hours))])
            negative.endDate = "2025-01-01"
            do {
                _ = try await store.createConvention(negative, by: coordinator)
                Issue.record("a negative delay was accepted")
            } catch let failure as ValidationFailure {
                #expect(failure.errors.map(\.field).sorted() == ["end_date", "service_commitments[0].delay.amount"])
            }
            var atfpb = f.guspConvention(people)
            atfpb.kind = .atfpb
            atfpb.axes = []
            atfpb.actionSheets = []
            atfpb.territoryIds = [f.communeA.id]
            do {
                _ = try await store.createConvention(atfpb, by: coordinator)
                Issue.record("an ATFPB convention over a commune was accepted")
            } catch let failure as ValidationFailure {
                #expect(failure.errors.map(\.field).sorted() == ["bailleur_id", "territory_ids"])
            }
            var foreign = f.guspConvention(people)
            foreign.serviceCommitments = [ServiceCommitment(categoryId: category, partnerId: f.partnerB.id, delay: Commitment(amount: 4, unit: .hours))]
            await #expect(throws: ValidationFailure(field: "service_commitments[0].partner_id", message: "must be a signatory of the convention")) {
                try await store.createConvention(foreign, by: coordinator)
            }
            // A coordinator of side B may not create a convention over side A.
            await #expect(throws: DomainError.self) {
                try await store.createConvention(f.guspConvention(people), by: try await f.actor(of: f.coordinatorB))
            }
            #expect(try await store.conventions(ConventionFilter(), page: try PageRequest(), by: Fixture.root).items.isEmpty)
        }
    }

    @Test("who reads a convention, and who sees its budgets", arguments: TestDatabases.engines)
    func visibility(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let draft = try await store.createConvention(f.guspConvention(people), by: try await f.actor(.coordinator))
            let resident = try await f.actor(.resident)
            await #expect(throws: DomainError.notFound("convention not found")) { try await store.convention(draft.id, by: resident) }
            #expect(try await store.conventions(ConventionFilter(), page: try PageRequest(), by: resident).items.isEmpty)
            for role in [Role.coordinator, .elected, .technician, .partnerSystem] {
                #expect(try await store.convention(draft.id, by: try await f.actor(role)).id == draft.id, "\(role)")
            }
            for outsider in [try await f.actor(of: f.technicianB), try await f.actor(of: f.coordinatorB), try await f.actor(of: people.electedB)] {
                await #expect(throws: DomainError.notFound("convention not found")) { try await store.convention(draft.id, by: outsider) }
                #expect(try await store.conventions(ConventionFilter(), page: try PageRequest(), by: outsider).items.isEmpty)
            }
            _ = try await store.signConvention(draft.id, by: try await f.actor(of: people.electedVille))
            _ = try await store.signConvention(draft.id, by: try await f.actor(of: people.bailleurCoordinator))
            let public_ = try await store.convention(draft.id, by: resident)
            #expect(public_.budgetsHidden && public_.actionSheets[0].terms.budgetCents == nil && public_.content.actionSheets[0].budgetCents == nil)
            #expect(try await store.convention(draft.id, by: try await f.actor(.elected)).actionSheets[0].terms.budgetCents == 1_500_000)
            _ = try await store.updateConvention(draft.id, ConventionDraftChanges(budgetsPublic: true), ifRevision: nil, by: try await f.actor(.coordinator))
            #expect(try await store.convention(draft.id, by: resident).actionSheets[0].terms.budgetCents == 1_500_000)
            // Filters: by territory (a convention over QPV A applies there) and by signatory.
            let root = Fixture.root
            #expect(try await store.conventions(ConventionFilter(territoryId: f.qpvA.id), page: try PageRequest(), by: root).items.count == 1)
            #expect(try await store.conventions(ConventionFilter(territoryId: f.communeB.id), page: try PageRequest(), by: root).items.isEmpty)
            #expect(try await store.conventions(ConventionFilter(partnerId: f.partnerB.id), page: try PageRequest(), by: root).items.isEmpty)
            #expect(try await store.conventions(ConventionFilter(kind: .atfpb), page: try PageRequest(), by: root).items.isEmpty)
        }
    }

    @Test("the lead partner and coordinators report progress on a fiche-action; others may not", arguments: TestDatabases.engines)
    func actionSheets(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let signed = try await f.signedConvention(people, f.guspConvention(people))
            let sheet = signed.actionSheets[0].terms.id
            let technician = try await f.actor(.technician)
            let started = try await store.updateActionSheet(conventionId: signed.id, sheetId: sheet, ActionSheetProgress(status: .inProgress, progress: 20),
                                                            ifVersion: 1, by: technician)
            #expect(started.status == .inProgress && started.progress == 20 && started.version == 2)
            let noted = try await store.addActionSheetUpdate(conventionId: signed.id, sheetId: sheet, day: "2026-09-20",
                                                             note: "Nouveau prestataire en place", progress: 40, by: try await f.actor(.coordinator))
            #expect(noted.progress == 40 && noted.updates.map(\.note) == ["Nouveau prestataire en place"] && noted.updates[0].day == "2026-09-20")
            await #expect(throws: DomainError.versionMismatch(current: 3)) {
                try await store.updateActionSheet(conventionId: signed.id, sheetId: sheet, ActionSheetProgress(progress: 50), ifVersion: 1, by: technician)
            }
            await #expect(throws: ValidationFailure(field: "progress", message: "must be from 0 to 100")) {
                try await store.updateActionSheet(conventionId: signed.id, sheetId: sheet, ActionSheetProgress(progress: 101), ifVersion: nil, by: technician)
            }
            // An elected official reads it but does not report; partner B does not even see it.
            await #expect(throws: DomainError.self) {
                try await store.updateActionSheet(conventionId: signed.id, sheetId: sheet, ActionSheetProgress(progress: 60), ifVersion: nil,
                                                  by: try await f.actor(.elected))
            }
            await #expect(throws: DomainError.notFound("convention not found")) {
                try await store.updateActionSheet(conventionId: signed.id, sheetId: sheet, ActionSheetProgress(progress: 60), ifVersion: nil,
                                                  by: try await f.actor(of: f.technicianB))
            }
            let read = try await store.convention(signed.id, by: try await f.actor(.elected))
            #expect(read.actionSheets[0].progress == 40 && read.actionSheets[0].status == .inProgress)
            let history = try await store.events(resourceType: .convention, resourceId: signed.id, page: try PageRequest(), by: Fixture.root)
            #expect(history.items.filter { $0.action == "action_sheet_updated" }.map(\.note) == ["action sheet \(sheet)", "action sheet \(sheet)"])
        }
    }
}
