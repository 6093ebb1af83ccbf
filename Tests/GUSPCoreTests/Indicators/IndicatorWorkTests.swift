import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

@Suite("Indicators of partners' work: interventions, ATFPB amounts, fiches-actions")
struct IndicatorWorkTests {
    static func report(
        _ status: InterventionStatus, doneAt: Int64? = nil, axis: Int? = nil, realised: Int64? = nil,
        territory: String
    ) -> InterventionReport {
        InterventionReport(
            kind: "nettoyage", status: status, scheduledAt: 1_790_100_000_000, doneAt: doneAt, territoryId: territory,
            description: "Nettoyage du hall", signalementIds: [], atfpbAxis: axis, amounts: InterventionAmounts(realisedCents: realised))
    }

    /// Bailleur A reports four interventions in QPV A: done Tuesday 2026-09-22 23:30 in Paris (21:30 UTC)
    /// on ATFPB axis 1 for 123.45 €, done Wednesday 00:30 (22:30 UTC Tuesday) on axis 2 for 5 €, done
    /// Wednesday without an axis, and one only planned. Bailleur B reports one done in commune B.
    @Test("interventions done by Paris day and partner; ATFPB amounts by axis and QPV; who sees them", arguments: TestDatabases.engines)
    func interventions(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let system = try await f.actor(.partnerSystem), technicianB = try await f.actor(of: f.technicianB)
            let tuesdayLate: Int64 = 1_790_113_800_000  // 2026-09-22 21:30 UTC
            for (number, report) in [
                Self.report(.done, doneAt: tuesdayLate, axis: 1, realised: 12_345, territory: f.qpvA.id),
                Self.report(.done, doneAt: tuesdayLate + 3_600_000, axis: 2, realised: 500, territory: f.qpvA.id),
                Self.report(.done, doneAt: tuesdayLate + 7_200_000, territory: f.qpvA.id),
                Self.report(.planned, territory: f.qpvA.id),
            ].enumerated() {
                _ = try await store.upsertIntervention(partnerId: f.partnerA.id, externalId: "VRH-\(number)", report, by: system)
            }
            _ = try await store.upsertIntervention(
                partnerId: f.partnerB.id, externalId: "B-1",
                Self.report(.done, doneAt: tuesdayLate, territory: f.communeB.id), by: technicianB)
            let days = IndicatorQuery(from: "2026-09-22", to: "2026-09-24", groupBy: .day)
            let done = try await store.indicator("interventions_done", days, by: Fixture.root)
            #expect(done.rows.map(\.value) == [2, 2, 0])
            #expect(done.total.value == 4)
            let byPartner = try await store.indicator(
                "interventions_done", IndicatorQuery(from: "2026-09-01", to: "2026-09-30", groupBy: .partner),
                by: Fixture.root)
            #expect(
                Set(byPartner.rows) == [IndicatorRow(key: f.partnerA.id, value: 3, sample: 3), IndicatorRow(key: f.partnerB.id, value: 1, sample: 1)])
            #expect(try await store.indicator("interventions_done", days, by: technicianB).total.value == 1)
            let september = IndicatorQuery(from: "2026-09-01", to: "2026-09-30", groupBy: .axis)
            let byAxis = try await store.indicator("atfpb_realised_cents", september, by: Fixture.root)
            #expect(byAxis.rows == [IndicatorRow(key: "1", value: 12_345, sample: 1), IndicatorRow(key: "2", value: 500, sample: 1)])
            #expect(byAxis.total == IndicatorRow(key: "total", value: 12_845, sample: 2))
            #expect(byAxis.definition.unit == .cents)
            let byQPV = try await store.indicator("atfpb_realised_cents", september.grouped(.territory), by: try await f.actor(.coordinator))
            #expect(byQPV.rows == [IndicatorRow(key: f.qpvA.id, value: 12_845, sample: 2)])
            #expect(try await store.indicator("atfpb_realised_cents", september, by: technicianB).total.value == 0)
            await #expect(throws: DomainError.forbidden("residents read the public figures about signalements")) {
                try await store.indicator("interventions_done", days, by: try await f.actor(.resident))
            }
            let groupings = "interventions_done groups by day, week, month, territory, partner"
            await #expect(throws: ValidationFailure(field: "group_by", message: groupings)) {
                try await store.indicator("interventions_done", days.grouped(.category), by: Fixture.root)
            }
            let noCategory = "atfpb_realised_cents is not about signalements: it has no category"
            await #expect(throws: ValidationFailure(field: "category", message: noCategory)) {
                try await store.indicator(
                    "atfpb_realised_cents", IndicatorQuery(from: "2026-09-01", to: "2026-09-30", categoryId: "cat_x"),
                    by: Fixture.root)
            }
        }
    }

    @Test("an intervention resolving several signalements moves the rollups once, as a rebuild would", arguments: TestDatabases.engines)
    func interventionResolvesSignalements(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let lift = try await f.category("parties_communes"), pests = try await f.category("nuisibles")
            var ids: [String] = []
            for category in [lift, pests, lift] {
                ids.append(
                    try await store.createSignalement(
                        NewSignalement(categoryId: category, description: "hall", location: places.inQPV),
                        by: resident
                    ).signalement.id)
            }
            let report = InterventionReport(
                kind: "nettoyage", status: .done, scheduledAt: 1_790_064_000_000, doneAt: 1_790_067_600_000,
                territoryId: f.qpvA.id, description: "Nettoyage du hall", signalementIds: ids)
            _ = try await store.upsertIntervention(partnerId: f.partnerA.id, externalId: "VRH-ALL", report, by: try await f.actor(.partnerSystem))
            let september = IndicatorQuery(from: "2026-09-01", to: "2026-09-30", groupBy: .category)
            let resolved = try await store.indicator("signalements_resolved", september, by: Fixture.root)
            #expect(Set(resolved.rows) == [IndicatorRow(key: lift, value: 2, sample: 2), IndicatorRow(key: pests, value: 1, sample: 1)])
            #expect(try await store.indicatorRollupDifferences() == [])
        }
    }

    @Test("fiches-actions done among those not abandoned, per convention, for its readers", arguments: TestDatabases.engines)
    func actionSheets(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            var new = f.guspConvention(people)
            new.actionSheets.append(
                ActionSheetDraft(
                    axis: "A1", title: "Médiation", objective: "Présence le soir", leadPartnerId: f.partnerA.id,
                    partnerIds: [], startDate: "2026-02-01", endDate: "2026-12-31"))
            new.actionSheets.append(
                ActionSheetDraft(
                    axis: "A1", title: "Abandonnée", objective: "—", leadPartnerId: f.partnerA.id,
                    partnerIds: [], startDate: "2026-02-01", endDate: "2026-12-31"))
            let signed = try await f.signedConvention(people, new)
            let technician = try await f.actor(.technician)
            let query = IndicatorQuery(from: "2026-09-01", to: "2026-09-30", groupBy: .convention)
            #expect(
                try await store.indicator("action_sheet_completion", query, by: Fixture.root).rows
                    == [IndicatorRow(key: signed.id, value: 0, sample: 3)])
            let sheets = signed.actionSheets.map(\.terms.id)
            _ = try await store.updateActionSheet(
                conventionId: signed.id, sheetId: sheets[0], ActionSheetProgress(status: .done, progress: 100),
                ifVersion: nil, by: technician)
            _ = try await store.updateActionSheet(
                conventionId: signed.id, sheetId: sheets[2], ActionSheetProgress(status: .abandoned),
                ifVersion: nil, by: technician)
            for actor in [Fixture.root, technician, try await f.actor(of: people.electedVille)] {
                #expect(
                    try await store.indicator("action_sheet_completion", query, by: actor).rows
                        == [IndicatorRow(key: signed.id, value: 0.5, sample: 2)], "\(actor.role)")
            }
            #expect(try await store.indicator("action_sheet_completion", query, by: try await f.actor(of: f.technicianB)).rows.isEmpty)
            let elsewhere = IndicatorQuery(from: "2026-09-01", to: "2026-09-30", territoryId: f.communeB.id)
            #expect(try await store.indicator("action_sheet_completion", elsewhere, by: Fixture.root).total.sample == 0)
            await #expect(throws: DomainError.forbidden("residents read the public figures about signalements")) {
                try await store.indicator("action_sheet_completion", query, by: try await f.actor(.resident))
            }
        }
    }
}
