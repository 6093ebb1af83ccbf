import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

@Suite("ATFPB programme and yearly bilan")
struct AtfpbReportTests {
    /// An ATFPB convention of bailleur A over QPV A (2025–2030), signed by A and the city.
    static func atfpb(_ f: Fixture, _ people: Signatories) async throws -> Convention {
        try await f.signedConvention(
            people,
            NewConvention(
                kind: .atfpb, title: "Convention ATFPB VRH — Hauts de Valence", startDate: "2025-01-01", endDate: "2030-12-31",
                territoryIds: [f.qpvA.id], signatoryIds: [f.partnerA.id, people.ville.id], bailleurId: f.partnerA.id))
    }

    static func done(
        _ axis: Int, on milliseconds: Int64, realised: Int64, share: Int64, other: Int64, status: InterventionStatus = .done,
        territory: String
    ) -> InterventionReport {
        InterventionReport(
            kind: "action ATFPB", status: status, doneAt: milliseconds, territoryId: territory, atfpbAxis: axis,
            amounts: InterventionAmounts(realisedCents: realised, atfpbShareCents: share, otherFundingCents: other))
    }

    @Test("planned from the programme, realised from the year's done interventions, exact to the cent", arguments: TestDatabases.engines)
    func bilan(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let convention = try await Self.atfpb(f, people)
            #expect(convention.content.axes.count == 8)
            #expect(convention.bailleurId == f.partnerA.id)
            let bailleur = try await f.actor(.technician)
            _ = try await store.replaceAtfpbProgramme(
                conventionId: convention.id, year: 2026,
                [
                    AtfpbProgrammeLine(axis: 3, territoryId: f.qpvA.id, plannedCents: 1_000_000, actions: "Sur-entretien des halls"),
                    AtfpbProgrammeLine(axis: 5, territoryId: f.qpvA.id, plannedCents: 250_050, actions: "Médiation"),
                ], by: bailleur)
            let system = try await f.actor(.partnerSystem)
            let jan2026: Int64 = 1_767_268_800_000, dec2025: Int64 = 1_767_182_400_000  // 2026-01-01 13:00, 2025-12-31 13:00 Paris
            let items: [(String, InterventionReport)] = [
                ("A-1", Self.done(3, on: jan2026, realised: 333_333, share: 300_000, other: 33_333, territory: f.qpvA.id)),
                ("A-2", Self.done(3, on: jan2026 + 86_400_000, realised: 333_334, share: 300_001, other: 33_333, territory: f.qpvA.id)),
                ("A-3", Self.done(6, on: jan2026, realised: 1, share: 1, other: 0, territory: f.qpvA.id)),
                ("A-4", Self.done(3, on: dec2025, realised: 999_999, share: 999_999, other: 0, territory: f.qpvA.id)),
                ("A-5", Self.done(3, on: jan2026, realised: 50, share: 50, other: 0, status: .cancelled, territory: f.qpvA.id)),
                ("A-6", Self.done(3, on: jan2026, realised: 70, share: 70, other: 0, territory: f.communeB.id)),
            ]
            for (id, report) in items {
                _ = try await store.upsertIntervention(partnerId: f.partnerA.id, externalId: id, report, by: system)
            }
            let report = try await store.atfpbReport(conventionId: convention.id, year: 2026, by: try await f.actor(.elected))
            #expect(report.lines.map { "\($0.axis)" } == ["3", "5", "6"])
            let axis3 = report.lines[0].amounts
            #expect(axis3.plannedCents == 1_000_000)
            #expect(axis3.realisedCents == 666_667)
            #expect(axis3.atfpbShareCents == 600_001)
            #expect(axis3.otherFundingCents == 66_666)
            #expect(axis3.interventions == 2)
            #expect(report.lines[1].amounts.plannedCents == 250_050)
            #expect(report.lines[1].amounts.interventions == 0)
            #expect(report.lines[1].actions == "Médiation")
            #expect(report.lines[2].amounts.plannedCents == 0)
            #expect(report.lines[2].amounts.realisedCents == 1)
            #expect(report.totals.plannedCents == 1_250_050)
            #expect(report.totals.realisedCents == 666_668)
            #expect(report.totals.interventions == 3)
            #expect(report.axisTotals.map(\.axis) == [3, 5, 6])
            let csv = report.csv(territories: [f.qpvA.id: KeyName(code: "QN02607M", label: "Les Hauts")])
            let lines = csv.split(separator: "\r\n").map(String.init)
            #expect(
                lines[0]
                    == "year,axis,axis_title,territory_id,territory_code,territory_label,planned_eur,realised_eur,atfpb_share_eur,other_funding_eur,interventions,actions"
            )
            #expect(lines[1] == "2026,3,Sur-entretien,\(f.qpvA.id),QN02607M,Les Hauts,10000.00,6666.67,6000.01,666.66,2,Sur-entretien des halls")
            #expect(lines.last == "2026,total,,total,,,12500.50,6666.68,6000.02,666.66,3,")
            // The previous year holds the December intervention alone, without a programme.
            let previous = try await store.atfpbReport(conventionId: convention.id, year: 2025, by: Fixture.root)
            #expect(previous.totals.realisedCents == 999_999)
            #expect(previous.totals.plannedCents == 0)
        }
    }

    @Test("the programme is checked, written by the bailleur side only, and the bilan is not for residents", arguments: TestDatabases.engines)
    func programmeRules(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let convention = try await Self.atfpb(f, people)
            let bailleur = try await f.actor(.partnerSystem)
            do {
                _ = try await store.replaceAtfpbProgramme(
                    conventionId: convention.id, year: 2031,
                    [
                        AtfpbProgrammeLine(axis: 9, territoryId: f.communeA.id, plannedCents: -1),
                        AtfpbProgrammeLine(axis: 3, territoryId: f.qpvA.id, plannedCents: 1),
                        AtfpbProgrammeLine(axis: 3, territoryId: f.qpvA.id, plannedCents: 2),
                    ], by: bailleur)
                Issue.record("a bad programme was accepted")
            } catch let failure as ValidationFailure {
                #expect(failure.errors.map(\.field) == ["year", "lines[0].axis", "lines[0].territory_id", "lines[0].planned_cents", "lines[2]"])
            }
            #expect(try await store.atfpbProgramme(conventionId: convention.id, year: 2031, by: Fixture.root).isEmpty)
            // The city's elected official reads but does not write the bailleur's programme.
            await #expect(throws: DomainError.forbidden("your role (elected) may not do atfpb_programme.write")) {
                try await store.replaceAtfpbProgramme(conventionId: convention.id, year: 2026, [], by: try await f.actor(of: people.electedVille))
            }
            await #expect(throws: DomainError.forbidden("the amounts of this convention are not published")) {
                try await store.atfpbReport(conventionId: convention.id, year: 2026, by: try await f.actor(.resident))
            }
            let gusp = try await store.createConvention(f.guspConvention(people), by: try await f.actor(.coordinator))
            await #expect(throws: DomainError.conflict("only an ATFPB convention has a programme and a bilan")) {
                try await store.atfpbReport(conventionId: gusp.id, year: 2026, by: Fixture.root)
            }
        }
    }
}
