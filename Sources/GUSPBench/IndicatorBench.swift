import Foundation
import GUSPCore
import GUSPDatabase
import SQLKit

/// The raw SQL side of the indicator benchmark (`gusp bench-indicators`, run by `scripts/bench`): the
/// numbers of the dashboard and of a monthly series computed straight from the signalements and
/// escalations (no rollups), timed, and checked against what the API's path gives.
public enum IndicatorBench {
    public struct Timing: Sendable {
        public var dashboardMilliseconds: Double
        public var seriesMilliseconds: Double
        /// The raw numbers equal the API path's.
        public var same: Bool
        public var mismatches: [String]
    }

    static let admin = Actor(kind: .user, id: "bench", role: .admin, partnerId: nil, territoryIds: [], tokenId: "bench", tokenExpiresAt: .max)

    /// Times (median of `runs`) the raw aggregates of the dashboard over `from`…`to` in `territoryId` (and
    /// below), and of `resolved_within_commitment_rate` by month over `seriesFrom`…`seriesTo`.
    /// The API's path reads the same instant (a frozen clock), so the figures of now compare too.
    public static func run(
        _ database: any Database, territoryId: String, from: String, to: String, seriesFrom: String, seriesTo: String,
        runs: Int = 9
    ) async throws -> Timing {
        let store = Store(database: database, clock: FrozenClock(at: Date()))
        let reference = try await store.referenceSnapshot()
        let territories = Array(reference.descendants(of: [territoryId]).union([territoryId]))
        let now = store.nowMilliseconds
        var dashboard: [String: Double?] = [:]
        var dashboardTimes: [Double] = []
        for _ in 0..<runs {
            let started = ContinuousClock.now
            dashboard = try await store.database.read { db in
                try await rawDashboard(
                    territories, start: ParisPeriods.start(of: from)!, end: ParisPeriods.end(of: to)!,
                    now: now, db)
            }
            dashboardTimes.append(milliseconds(ContinuousClock.now - started))
        }
        var series: [String: Double?] = [:]
        var seriesTimes: [Double] = []
        let months = ParisPeriods.keys(from: seriesFrom, to: seriesTo, .month)
        for _ in 0..<runs {
            let started = ContinuousClock.now
            series = try await store.database.read { db in try await rawMonthlyRate(territories, months: months, last: seriesTo, db) }
            seriesTimes.append(milliseconds(ContinuousClock.now - started))
        }
        var mismatches: [String] = []
        for (definition, row) in try await store.dashboard(territoryId: territoryId, from: from, to: to, by: admin) {
            if !close(dashboard[definition.code] ?? nil, row.value) {
                mismatches.append("\(definition.code): raw \(String(describing: dashboard[definition.code])) api \(String(describing: row.value))")
            }
        }
        let api = try await store.indicator(
            "resolved_within_commitment_rate",
            IndicatorQuery(from: seriesFrom, to: seriesTo, territoryId: territoryId, groupBy: .month), by: admin)
        for row in api.rows where !close(series[row.key] ?? nil, row.value) {
            mismatches.append("series \(row.key): raw \(String(describing: series[row.key])) api \(String(describing: row.value))")
        }
        return Timing(
            dashboardMilliseconds: median(dashboardTimes), seriesMilliseconds: median(seriesTimes), same: mismatches.isEmpty,
            mismatches: mismatches)
    }

    /// The dashboard's figures in four aggregates over the signalements and escalations.
    static func rawDashboard(_ territories: [String], start: Int64, end: Int64, now: Int64, _ db: any SQLDatabase) async throws -> [String: Double?] {
        let inTerritories = SQLQueryString("territory_id IN (\(binds: territories))")
        let received = try await db.raw(
            """
            SELECT COUNT(*) AS n, CAST(SUM(reopened) AS BIGINT) AS reopened,
                   CAST(SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END) AS BIGINT) AS rejected,
                   CAST(SUM(CASE WHEN status = 'duplicate' THEN 1 ELSE 0 END) AS BIGINT) AS duplicates,
                   CAST(SUM(arbitrated) AS BIGINT) AS arbitrated, CAST(SUM(recurring) AS BIGINT) AS recurring
            FROM signalements WHERE created_at >= \(bind: start) AND created_at < \(bind: end) AND \(inTerritories)
            """
        ).first()!
        let resolved = try await db.raw(
            """
            SELECT COUNT(*) AS n, CAST(SUM(resolved_at - created_at) AS BIGINT) AS ms,
                   CAST(SUM(CASE WHEN due_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS judged,
                   CAST(SUM(CASE WHEN resolved_at <= due_at THEN 1 ELSE 0 END) AS BIGINT) AS within
            FROM signalements WHERE resolved_at >= \(bind: start) AND resolved_at < \(bind: end) AND \(inTerritories)
            """
        ).first()!
        var levels: [Int: Double] = [1: 0, 2: 0, 3: 0]
        for row in try await db.raw(
            """
            SELECT e.level AS level, COUNT(*) AS n FROM escalations e JOIN signalements s ON s.id = e.signalement_id
            WHERE e.created_at >= \(bind: start) AND e.created_at < \(bind: end) AND s.\(inTerritories) GROUP BY e.level
            """
        ).all() {
            levels[min(3, try row.decode(column: "level", as: Int.self)), default: 0] += Double(try row.decode(column: "n", as: Int.self))
        }
        let open = try await db.raw(
            """
            SELECT COUNT(*) AS n, CAST(SUM(CASE WHEN due_at < \(bind: now) THEN 1 ELSE 0 END) AS BIGINT) AS overdue
            FROM signalements WHERE \(unsafeRaw: Store.openStatusCondition) AND \(inTerritories)
            """
        ).first()!
        func number(_ row: any SQLRow, _ column: String) throws -> Double { Double(try row.decode(column: column, as: Int64?.self) ?? 0) }
        let n = try number(received, "n"), solved = try number(resolved, "n"), judged = try number(resolved, "judged")
        func share(_ part: Double, _ whole: Double) -> Double? { whole == 0 ? nil : part / whole }
        return [
            "signalements_received": n, "signalements_resolved": solved,
            "resolution_time_mean_hours": solved == 0 ? nil : try number(resolved, "ms") / solved / 3_600_000,
            "resolved_within_commitment_rate": share(try number(resolved, "within"), judged),
            "backlog_now": try number(open, "n"), "overdue_now": try number(open, "overdue"),
            "reopen_rate": share(try number(received, "reopened"), n), "reject_rate": share(try number(received, "rejected"), n),
            "duplicate_rate": share(try number(received, "duplicates"), n), "arbitration_rate": share(try number(received, "arbitrated"), n),
            "recurrence_rate": share(try number(received, "recurring"), n),
            "escalations_level_1": levels[1], "escalations_level_2": levels[2], "escalations_level_3": levels[3],
        ]
    }

    /// The rate resolved within commitment per Paris month, joining the months' bounds to the signalements.
    static func rawMonthlyRate(_ territories: [String], months: [String], last: String, _ db: any SQLDatabase) async throws -> [String: Double?] {
        var bounds: SQLQueryString = ""
        for (index, month) in months.enumerated() {
            let end = index + 1 < months.count ? months[index + 1] : ParisPeriods.next(last)
            bounds += index == 0 ? "" : ", "
            bounds += "(\(bind: month), \(bind: ParisPeriods.start(of: month)!), \(bind: ParisPeriods.start(of: end)!))"
        }
        var result: [String: Double?] = Dictionary(uniqueKeysWithValues: months.map { ($0, nil) })
        for row in try await db.raw(
            """
            WITH months (month, first_ms, end_ms) AS (VALUES \(bounds))
            SELECT m.month AS month, COUNT(*) AS judged,
                   CAST(SUM(CASE WHEN s.resolved_at <= s.due_at THEN 1 ELSE 0 END) AS BIGINT) AS within
            FROM months m JOIN signalements s ON s.resolved_at >= m.first_ms AND s.resolved_at < m.end_ms
            WHERE s.due_at IS NOT NULL AND s.territory_id IN (\(binds: territories)) GROUP BY m.month
            """
        ).all() {
            let judged = Double(try row.decode(column: "judged", as: Int64.self))
            result[try row.decode(column: "month", as: String.self)] =
                judged == 0 ? nil : Double(try row.decode(column: "within", as: Int64?.self) ?? 0) / judged
        }
        return result
    }

    static func close(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case let (a?, b?): abs(a - b) <= 1e-9 * max(1, abs(a))
        default: false
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}

private struct FrozenClock: WallClock {
    let at: Date
    func now() -> Date { at }
}
