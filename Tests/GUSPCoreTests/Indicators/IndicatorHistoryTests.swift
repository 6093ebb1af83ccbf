import Foundation
import GUSPBench
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

@Suite("Indicators over a seeded history")
struct IndicatorHistoryTests {
    /// Three years of demo history (4,000 signalements up to 2026-09-22): the rollups match the signalements,
    /// the raw SQL of the benchmark gives the API's numbers, and month rows give what day rows give.
    @Test("a seeded history: rollups, raw SQL and month rows agree", arguments: TestDatabases.engines)
    func seededHistory(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            _ = try await DemoData.load(into: store)
            let history = try await HistorySeeder.seed(store, count: 4_000, years: 3)
            #expect(history.signalements == 4_000)
            #expect(history.first >= "2023-09-22")
            #expect(history.last <= "2026-09-22")
            #expect(try await store.indicatorRollupDifferences() == [])
            let valence = try await store.territories(TerritoryFilter(), page: try PageRequest(limit: 500), by: Fixture.root).items
                .first { $0.kind == .commune }!.id
            let bench = try await IndicatorBench.run(
                store.database, territoryId: valence, from: "2025-10-01", to: "2026-09-22",
                seriesFrom: "2023-10-01", seriesTo: "2026-08-31", runs: 1)
            #expect(bench.same, "\(bench.mismatches)")
            // Partial months at both ends, a new year, a leap February: month rows and day rows agree.
            for (from, to) in [
                ("2023-12-15", "2024-03-10"), ("2024-02-01", "2024-02-29"), ("2025-12-31", "2026-01-01"), ("2026-03-01", "2026-03-01"),
            ] {
                for code in ["signalements_received", "signalements_resolved", "escalations_level_1"] {
                    let monthly = try await store.indicator(code, IndicatorQuery(from: from, to: to, groupBy: .month), by: Fixture.root)
                    let daily = try await store.indicator(code, IndicatorQuery(from: from, to: to, groupBy: .day), by: Fixture.root)
                    var summed: [String: Double] = [:]
                    for row in daily.rows { summed[String(row.key.prefix(8)) + "01", default: 0] += row.value ?? 0 }
                    #expect(monthly.rows.map { $0.value ?? 0 } == monthly.rows.map { summed[$0.key] ?? -1 }, "\(code) \(from)…\(to)")
                    #expect(monthly.total == daily.total, "\(code) \(from)…\(to)")
                }
            }
        }
    }
}
