import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

@Suite("Indicator rollups and the cohort, recurrence and escalation indicators")
struct IndicatorRollupTests {
    /// From Tuesday 2026-09-22 10:00 in Paris (T0), lifts (24 h commitment) at the same spot of QPV A
    /// unless said otherwise:
    /// - A at T0: resolved at T0+5h, reopened at T0+6h, resolved again at T0+26h (late);
    /// - B at T0+1h (recurs A), then corrected to `proprete` (where nothing recurs), resolved at T0+20h;
    /// - C at T0+1h30 in commune A outside the QPV: no partner found, arbitration, assigned to the city at
    ///   T0+3h, resolved at T0+4h;
    /// - D at T0+2h (recurs), rejected;
    /// - F at T0+2h30 (recurs), left open: escalates to level 1 at its due date (Wednesday 12:30), to level
    ///   2 twelve hours later (Thursday 00:30) and to level 3 twelve hours after that (Thursday 12:30);
    /// - E on Wednesday at T0+24h (recurs), merged into F as a duplicate.
    struct Story {
        let fixture: Fixture
        let lift: String, proprete: String
    }

    static func story(_ store: Store, _ clock: ManualClock) async throws -> Story {
        let f = try await Fixture.make(store)
        let places = try await f.drawContours()
        let resident = try await f.actor(.resident), technician = try await f.actor(.technician)
        let coordinator = try await f.actor(.coordinator)
        let lift = try await f.category("parties_communes"), proprete = try await f.category("proprete")
        func file(_ name: String, at place: Position? = nil) async throws -> Signalement {
            let location = place ?? places.inQPV
            return try await store.createSignalement(NewSignalement(categoryId: lift, description: name, location: location), by: resident)
                .signalement
        }
        func move(_ id: String, _ targets: [SignalementStatus], note: String? = nil, by actor: Actor? = nil) async throws {
            for target in targets {
                _ = try await store.transitionSignalement(id, to: target, note: note, ifVersion: nil, by: actor ?? technician)
            }
        }
        let a = try await file("A")
        clock.advance(3_600)
        let b = try await file("B")
        clock.advance(1_800)
        let c = try await file("C", at: places.inCommuneA)
        #expect(c.status == .needsArbitration)
        clock.advance(1_800)
        let d = try await file("D")
        clock.advance(1_800)
        let fSignalement = try await file("F")
        clock.advance(1_800)  // T0+3h
        _ = try await store.assignSignalement(c.id, to: places.villeA.id, note: "la ville", ifVersion: nil, by: Fixture.root)
        _ = try await store.updateSignalement(b.id, SignalementChanges(categoryId: proprete), ifVersion: nil, by: coordinator)
        try await move(d.id, [.rejected], note: "pas un dysfonctionnement")
        clock.advance(3_600)  // T0+4h
        try await move(c.id, [.resolved], by: Fixture.root)
        clock.advance(3_600)  // T0+5h
        try await move(a.id, [.acknowledged, .resolved])
        clock.advance(3_600)  // T0+6h
        try await move(a.id, [.reopened], note: "toujours en panne", by: coordinator)
        clock.advance(14 * 3_600)  // T0+20h
        try await move(b.id, [.acknowledged, .resolved])
        clock.advance(4 * 3_600)  // T0+24h
        let e = try await file("E")
        _ = try await store.markDuplicate(e.id, of: fSignalement.id, note: nil, by: technician)
        clock.advance(2 * 3_600)  // T0+26h
        try await move(a.id, [.resolved])
        clock.advance(36 * 60)  // Wednesday 12:36
        #expect(try await store.sweepEscalations().escalated == 1)
        clock.advance(12 * 3_600 + 24 * 60)  // Thursday 01:00
        #expect(try await store.sweepEscalations().escalated == 1)
        clock.advance(12 * 3_600)  // Thursday 13:00
        #expect(try await store.sweepEscalations().escalated == 1)
        return Story(fixture: f, lift: lift, proprete: proprete)
    }

    static let week = IndicatorQuery(from: "2026-09-21", to: "2026-09-27")

    @Test("what the commands kept in the rollups is what a rebuild from the signalements gives", arguments: TestDatabases.engines)
    func incrementalEqualsRebuild(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            _ = try await Self.story(store, clock)
            #expect(try await store.indicatorRollupDifferences() == [])
            let before = try await store.indicator(
                "signalements_received", IndicatorQuery(from: "2026-09-01", to: "2026-09-30", groupBy: .category),
                by: Fixture.root)
            try await store.rebuildIndicatorRollups()
            let after = try await store.indicator(
                "signalements_received", IndicatorQuery(from: "2026-09-01", to: "2026-09-30", groupBy: .category),
                by: Fixture.root)
            #expect(before == after)
        }
    }

    @Test("cohort rates, recurrence, escalations by level, and figures following a corrected category", arguments: TestDatabases.engines)
    func cohortFigures(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let story = try await Self.story(store, clock)
            func total(_ code: String, _ query: IndicatorQuery = Self.week) async throws -> IndicatorRow {
                try await store.indicator(code, query, by: Fixture.root).total
            }
            #expect(try await total("signalements_received") == IndicatorRow(key: "total", value: 6, sample: 6))
            for (code, share) in [("reopen_rate", 1.0), ("reject_rate", 1), ("duplicate_rate", 1), ("arbitration_rate", 1), ("recurrence_rate", 3)] {
                #expect(try await total(code) == IndicatorRow(key: "total", value: share / 6, sample: 6), "\(code)")
            }
            let escalations = try await store.indicator(
                "escalations_level_2", IndicatorQuery(from: "2026-09-22", to: "2026-09-24", groupBy: .day),
                by: Fixture.root)
            #expect(escalations.rows.map(\.value) == [0, 0, 1])
            #expect(try await total("escalations_level_1", IndicatorQuery(from: "2026-09-23", to: "2026-09-23")).value == 1)
            #expect(try await total("escalations_level_3", IndicatorQuery(from: "2026-09-24", to: "2026-09-24")).value == 1)
            #expect(try await total("escalations_level_1", IndicatorQuery(from: "2026-09-24", to: "2026-10-31")).value == 0)
            let resolved = try await store.indicator(
                "signalements_resolved", IndicatorQuery(from: "2026-09-22", to: "2026-09-23", groupBy: .day),
                by: Fixture.root)
            #expect(resolved.rows.map(\.value) == [1, 2])  // C on Tuesday; B and A (its resolution in force) on Wednesday
            // B counts under the category it was corrected to, received and resolved alike.
            let byCategory = try await store.indicator("signalements_received", Self.week.grouped(.category), by: Fixture.root)
            #expect(
                Set(byCategory.rows) == [IndicatorRow(key: story.lift, value: 5, sample: 5), IndicatorRow(key: story.proprete, value: 1, sample: 1)])
            let proprete = IndicatorQuery(from: "2026-09-21", to: "2026-09-27", categoryId: story.proprete)
            #expect(try await total("signalements_resolved", proprete).value == 1)
            #expect(try await total("recurrence_rate", proprete).value == 0)
            // Whole months come from the month rows, the days around them from the day rows: the same sums.
            let across = IndicatorQuery(from: "2026-08-15", to: "2026-10-10")
            #expect(try await total("signalements_received", across).value == 6)
            #expect(try await total("escalations_level_2", across).value == 1)
            let dashboard = try await store.dashboard(territoryId: story.fixture.qpvA.id, from: "2026-09-01", to: "2026-09-30", by: Fixture.root)
            let figures: [String: Double] = Dictionary(uniqueKeysWithValues: dashboard.compactMap { item in item.1.value.map { (item.0.code, $0) } })
            // C was filed outside the QPV: 5 received there, none waiting for arbitration.
            #expect(figures["signalements_received"] == 5)
            #expect(figures["backlog_now"] == 1)
            #expect(figures["escalations_level_3"] == 1)
            #expect(figures["arbitration_rate"] == 0)
            #expect(figures["resolution_time_median_hours"] == nil)
        }
    }

    @Test("correcting a category decides again whether the later signalements around it recur", arguments: TestDatabases.engines)
    func recurrenceAfterCorrection(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident), coordinator = try await f.actor(.coordinator)
            let lift = try await f.category("parties_communes"), proprete = try await f.category("proprete")
            let first = try await store.createSignalement(NewSignalement(categoryId: lift, description: "X", location: places.inQPV), by: resident)
            clock.advance(86_400)
            let nearby = Position(long: places.inQPV.long + 0.0003, lat: places.inQPV.lat)  // about 24 m east
            _ = try await store.createSignalement(NewSignalement(categoryId: lift, description: "Y", location: nearby), by: resident)
            let week = IndicatorQuery(from: "2026-09-21", to: "2026-09-27", categoryId: lift)
            #expect(try await store.indicator("recurrence_rate", week, by: Fixture.root).total == IndicatorRow(key: "total", value: 0.5, sample: 2))
            _ = try await store.updateSignalement(first.signalement.id, SignalementChanges(categoryId: proprete), ifVersion: nil, by: coordinator)
            #expect(try await store.indicator("recurrence_rate", week, by: Fixture.root).total == IndicatorRow(key: "total", value: 0, sample: 1))
            _ = try await store.updateSignalement(first.signalement.id, SignalementChanges(categoryId: lift), ifVersion: nil, by: coordinator)
            #expect(try await store.indicator("recurrence_rate", week, by: Fixture.root).total == IndicatorRow(key: "total", value: 0.5, sample: 2))
            #expect(try await store.indicatorRollupDifferences() == [])
        }
    }

    @Test(
        "at one spot: the five nearest open ones as duplicates (ties by id), closed ones still make a filing recur",
        arguments: TestDatabases.engines)
    func duplicatesAndRecurrenceAtOneSpot(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident), technician = try await f.actor(.technician)
            let lift = try await f.category("parties_communes")
            func file() async throws -> FiledSignalement {
                clock.advance(60)
                return try await store.createSignalement(NewSignalement(categoryId: lift, description: "hall", location: places.inQPV), by: resident)
            }
            var earlier: [String] = []
            for _ in 0..<6 { earlier.append(try await file().signalement.id) }
            let seventh = try await file()
            #expect(seventh.possibleDuplicates.map(\.id) == Array(earlier.sorted().prefix(5)))
            #expect(seventh.possibleDuplicates.allSatisfy { $0.distanceMeters == 0 })
            for id in earlier + [seventh.signalement.id] {
                _ = try await store.transitionSignalement(id, to: .rejected, note: "déjà traité", ifVersion: nil, by: technician)
            }
            let eighth = try await file()
            #expect(eighth.possibleDuplicates.isEmpty)
            let week = IndicatorQuery(from: "2026-09-21", to: "2026-09-27")
            // All but the first recur: seven of eight.
            #expect(
                try await store.indicator("recurrence_rate", week, by: Fixture.root).total == IndicatorRow(key: "total", value: 7.0 / 8, sample: 8))
        }
    }

    @Test("unknown filters and dates beyond the years served are refused", arguments: [0])
    func refusals(_: Int) async throws {
        try await TestDatabases.withStore(.sqlite, clock: ManualClock()) { store in
            _ = try await Fixture.make(store)
            let dates = "must be a date YYYY-MM-DD from 2000 to 2099"
            for (query, refusal) in [
                (IndicatorQuery(from: "2026-01-01", to: "9999-12-31"), ValidationFailure(field: "to", message: dates)),
                (IndicatorQuery(from: "1999-12-31", to: "2026-01-01"), ValidationFailure(field: "from", message: dates)),
                (IndicatorQuery(from: "2099-01-01", to: "2100-01-01"), ValidationFailure(field: "to", message: dates)),
                (
                    IndicatorQuery(from: "2026-01-01", to: "2026-01-31", territoryId: "ter_nope"),
                    ValidationFailure(field: "territory", message: "is not a known territory")
                ),
                (
                    IndicatorQuery(from: "2026-01-01", to: "2026-01-31", partnerId: "par_nope"),
                    ValidationFailure(field: "partner", message: "is not a known partner")
                ),
                (
                    IndicatorQuery(from: "2026-01-01", to: "2026-01-31", categoryId: "cat_nope"),
                    ValidationFailure(field: "category", message: "is not a known category")
                ),
            ] {
                await #expect(throws: refusal) { try await store.indicator("signalements_received", query, by: Fixture.root) }
            }
            #expect(
                try await store.indicator("signalements_received", IndicatorQuery(from: "2099-12-01", to: "2099-12-31"), by: Fixture.root)
                    .total.value == 0)
        }
    }

    @Test("the Paris day of a time, without a calendar, is the time-zone database's from 2000 to 2040", arguments: [0])
    func parisDays(_: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        func day(_ at: Int64) -> String {
            let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(at) / 1000))
            return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        }
        var at: Int64 = 946_684_800_000  // 2000-01-01 UTC
        let end: Int64 = 2_208_988_800_000  // 2040-01-01
        while at < end {
            #expect(ParisPeriods.day(ofMilliseconds: at) == day(at))
            at += 3_599_993 * 7  // about every 7 hours, drifting across the minutes
        }
        for day in ["2026-03-29", "2026-10-25", "2024-02-29", "2026-12-31"] {
            let start = ParisPeriods.start(of: day)!
            #expect(ParisPeriods.day(ofMilliseconds: start) == day)
            #expect(ParisPeriods.day(ofMilliseconds: start - 1) != day)
        }
    }
}

extension IndicatorQuery {
    func grouped(_ grouping: IndicatorGrouping) -> IndicatorQuery {
        var query = self
        query.groupBy = grouping
        return query
    }
}
