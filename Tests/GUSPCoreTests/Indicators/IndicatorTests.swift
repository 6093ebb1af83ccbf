import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

@Suite("Indicators against a hand-computed fixture")
struct IndicatorTests {
    /// Four lifts (24 h commitment) filed in QPV A around the end of summer time (Sunday 2026-10-25, 03:00
    /// CEST → 02:00 CET), two of them resolved:
    /// - S1 Sat 2026-10-24 23:30 (CEST), resolved 5 h later: Sun 03:30 (CET), within its commitment;
    /// - S2 Sun 2026-10-25 00:30 (CEST), resolved 30 h later: Mon 05:30, late;
    /// - S3 Sun 2026-10-25 23:59 (CET) and S4 Mon 2026-10-26 00:01, open.
    static func fixture(_ store: Store, _ clock: ManualClock) async throws -> Fixture {
        let f = try await Fixture.make(store)
        let places = try await f.drawContours()
        let resident = try await f.actor(.resident)
        let technician = try await f.actor(.technician)
        let lift = try await f.category("parties_communes")
        func file(_ name: String) async throws -> Signalement {
            let filed = try await store.createSignalement(NewSignalement(categoryId: lift, description: name, location: places.inQPV), by: resident)
            return filed.signalement
        }
        func resolve(_ signalement: Signalement) async throws {
            _ = try await store.transitionSignalement(signalement.id, to: .acknowledged, note: nil, ifVersion: nil, by: technician)
            _ = try await store.transitionSignalement(signalement.id, to: .resolved, note: nil, ifVersion: nil, by: technician)
        }
        clock.advance(2_813_400)  // 2026-10-24 21:30 UTC
        let s1 = try await file("S1")
        clock.advance(3_600)
        let s2 = try await file("S2")
        clock.advance(4 * 3_600)
        try await resolve(s1)
        clock.advance(20 * 3_600 + 29 * 60)  // 2026-10-25 22:59 UTC
        _ = try await file("S3")
        clock.advance(120)
        _ = try await file("S4")
        clock.advance(30 * 3_600 - (24 * 3_600 + 29 * 60 + 120))  // S2 + 30 h
        try await resolve(s2)
        return f
    }

    static func values(_ result: IndicatorResult) -> [String: Double?] {
        Dictionary(uniqueKeysWithValues: result.rows.map { ($0.key, $0.value) })
    }

    @Test("received and resolved by Paris day and ISO week across the change of time; empty days are zero", arguments: TestDatabases.engines)
    func countsByPeriod(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            _ = try await Self.fixture(store, clock)
            let root = Fixture.root
            let received = try await store.indicator(
                "signalements_received", IndicatorQuery(from: "2026-10-23", to: "2026-10-27", groupBy: .day),
                by: root)
            #expect(received.rows.map(\.key) == ["2026-10-23", "2026-10-24", "2026-10-25", "2026-10-26", "2026-10-27"])
            #expect(received.rows.map(\.value) == [0, 1, 2, 1, 0])
            #expect(received.total.value == 4)
            let weekly = try await store.indicator(
                "signalements_received", IndicatorQuery(from: "2026-10-19", to: "2026-11-01", groupBy: .week),
                by: root)
            #expect(weekly.rows.map(\.key) == ["2026-10-19", "2026-10-26"])
            #expect(weekly.rows.map(\.value) == [3, 1])
            let resolved = try await store.indicator(
                "signalements_resolved", IndicatorQuery(from: "2026-10-24", to: "2026-10-26", groupBy: .day),
                by: root)
            #expect(resolved.rows.map(\.value) == [0, 1, 1])
            let monthly = try await store.indicator(
                "signalements_received", IndicatorQuery(from: "2026-09-01", to: "2026-11-30", groupBy: .month),
                by: root)
            #expect(monthly.rows.map(\.key) == ["2026-09-01", "2026-10-01", "2026-11-01"])
            #expect(monthly.rows.map(\.value) == [0, 4, 0])
            let empty = try await store.indicator("resolution_time_mean_hours", IndicatorQuery(from: "2026-01-01", to: "2026-01-31"), by: root)
            #expect(empty.total.value == nil)
            #expect(empty.total.sample == 0)
        }
    }

    @Test("resolution times, the rate within commitment, backlog and overdue now", arguments: TestDatabases.engines)
    func measures(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Self.fixture(store, clock)
            let root = Fixture.root
            let october = IndicatorQuery(from: "2026-10-01", to: "2026-10-31")
            #expect(try await store.indicator("resolution_time_mean_hours", october, by: root).total.value == 17.5)
            #expect(try await store.indicator("resolution_time_median_hours", october, by: root).total.value == 17.5)
            let rate = try await store.indicator("resolved_within_commitment_rate", october, by: root).total
            #expect(rate.value == 0.5)
            #expect(rate.sample == 2)
            #expect(try await store.indicator("backlog_now", october, by: root).total.value == 2)
            #expect(try await store.indicator("overdue_now", october, by: root).total.value == 0)
            clock.advance(24 * 3_600)
            #expect(try await store.indicator("overdue_now", october, by: root).total.value == 2)
            let byCategory = try await store.indicator(
                "backlog_now", IndicatorQuery(from: "2026-10-01", to: "2026-10-31", groupBy: .category),
                by: root)
            #expect(byCategory.rows == [IndicatorRow(key: try await f.category("parties_communes"), value: 2, sample: 2)])
            await #expect(throws: ValidationFailure(field: "group_by", message: "backlog_now groups by category, territory, partner")) {
                try await store.indicator("backlog_now", IndicatorQuery(from: "2026-10-01", to: "2026-10-31", groupBy: .day), by: root)
            }
        }
    }

    @Test("each reader counts what it may see; residents get no partner figures", arguments: TestDatabases.engines)
    func visibility(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let coordinatorB = try await f.actor(of: f.coordinatorB)
            let technicianB = try await f.actor(of: f.technicianB)
            let coordinator = try await f.actor(.coordinator), elected = try await f.actor(.elected)
            let technician = try await f.actor(.technician), resident = try await f.actor(.resident)
            _ = try await Self.fixtureFiled(f)
            let query = IndicatorQuery(from: "2026-09-01", to: "2026-12-31")
            for actor in [coordinator, elected, technician, resident, Fixture.root] {
                #expect(try await store.indicator("signalements_received", query, by: actor).total.value == 1, "\(actor.role)")
            }
            for actor in [coordinatorB, technicianB] {
                #expect(try await store.indicator("signalements_received", query, by: actor).total.value == 0, "\(actor.role)")
            }
            await #expect(throws: DomainError.forbidden("residents read the public figures, not each partner's")) {
                try await store.indicator(
                    "signalements_received", IndicatorQuery(from: "2026-09-01", to: "2026-12-31", groupBy: .partner), by: resident)
            }
            await #expect(throws: DomainError.notFound("no indicator nope")) { try await store.indicator("nope", query, by: Fixture.root) }
            await #expect(throws: ValidationFailure(field: "to", message: "must not be before from")) {
                try await store.indicator("signalements_received", IndicatorQuery(from: "2026-12-31", to: "2026-01-01"), by: Fixture.root)
            }
            let dashboard = try await store.dashboard(territoryId: f.qpvA.id, from: "2026-09-01", to: "2026-12-31", by: coordinator)
            #expect(dashboard.first { $0.0.code == "backlog_now" }?.1.value == 1)
        }
    }

    static func fixtureFiled(_ f: Fixture) async throws -> Signalement {
        let places = try await f.drawContours()
        return try await f.store.createSignalement(
            NewSignalement(
                categoryId: try await f.category("parties_communes"), description: "Ascenseur", location: places.inQPV),
            by: try await f.actor(.resident)
        ).signalement
    }
}
