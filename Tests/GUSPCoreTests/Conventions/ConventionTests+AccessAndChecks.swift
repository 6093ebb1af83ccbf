import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

extension ConventionTests {
    @Test("bad conventions are refused field by field and nothing is written", arguments: TestDatabases.engines)
    func validation(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let coordinator = try await f.actor(.coordinator)
            let category = try await f.category("proprete")
            var negative = f.guspConvention(
                people,
                commitments: [
                    ServiceCommitment(categoryId: category, partnerId: nil, delay: Commitment(amount: -4, unit: .hours))
                ])
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
            foreign.serviceCommitments = [
                ServiceCommitment(categoryId: category, partnerId: f.partnerB.id, delay: Commitment(amount: 4, unit: .hours))
            ]
            await #expect(throws: ValidationFailure(field: "service_commitments[0].partner_id", message: "must be a signatory of the convention")) {
                try await store.createConvention(foreign, by: coordinator)
            }
            // A coordinator of side B may not create a convention over side A.
            await #expect(throws: DomainError.forbidden("a coordinator creates conventions over their own territories only")) {
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
            #expect(public_.budgetsHidden)
            #expect(public_.actionSheets[0].terms.budgetCents == nil)
            #expect(public_.content.actionSheets[0].budgetCents == nil)
            #expect(try await store.convention(draft.id, by: try await f.actor(.elected)).actionSheets[0].terms.budgetCents == 1_500_000)
            _ = try await store.updateConvention(
                draft.id, ConventionDraftChanges(budgetsPublic: true), ifRevision: nil, by: try await f.actor(.coordinator))
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
            let started = try await store.updateActionSheet(
                conventionId: signed.id, sheetId: sheet, ActionSheetProgress(status: .inProgress, progress: 20),
                ifVersion: 1, by: technician)
            #expect(started.status == .inProgress)
            #expect(started.progress == 20)
            #expect(started.version == 2)
            let noted = try await store.addActionSheetUpdate(
                conventionId: signed.id, sheetId: sheet, day: "2026-09-20",
                note: "Nouveau prestataire en place", progress: 40, by: try await f.actor(.coordinator))
            #expect(noted.progress == 40)
            #expect(noted.updates.map(\.note) == ["Nouveau prestataire en place"])
            #expect(noted.updates[0].day == "2026-09-20")
            await #expect(throws: DomainError.versionMismatch(current: 3)) {
                try await store.updateActionSheet(
                    conventionId: signed.id, sheetId: sheet, ActionSheetProgress(progress: 50), ifVersion: 1, by: technician)
            }
            await #expect(throws: ValidationFailure(field: "progress", message: "must be from 0 to 100")) {
                try await store.updateActionSheet(
                    conventionId: signed.id, sheetId: sheet, ActionSheetProgress(progress: 101), ifVersion: nil, by: technician)
            }
            // An elected official reads it but does not report; partner B does not even see it.
            await #expect(throws: DomainError.forbidden("your role (elected) may not do action_sheet.update")) {
                try await store.updateActionSheet(
                    conventionId: signed.id, sheetId: sheet, ActionSheetProgress(progress: 60), ifVersion: nil,
                    by: try await f.actor(.elected))
            }
            await #expect(throws: DomainError.notFound("convention not found")) {
                try await store.updateActionSheet(
                    conventionId: signed.id, sheetId: sheet, ActionSheetProgress(progress: 60), ifVersion: nil,
                    by: try await f.actor(of: f.technicianB))
            }
            let read = try await store.convention(signed.id, by: try await f.actor(.elected))
            #expect(read.actionSheets[0].progress == 40)
            #expect(read.actionSheets[0].status == .inProgress)
            let history = try await store.events(resourceType: .convention, resourceId: signed.id, page: try PageRequest(), by: Fixture.root)
            #expect(history.items.filter { $0.action == "action_sheet_updated" }.map(\.note) == ["action sheet \(sheet)", "action sheet \(sheet)"])
        }
    }
}
