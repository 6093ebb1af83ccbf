import Foundation
import SQLKit

extension Store {
    /// Sums the rollups over the query's days: whole months from the month rows, the days before the
    /// first whole month and after the last one from the day rows (all from the day rows when grouped by
    /// day or week), grouped in SQL by period or by the grouping's column.
    static func rollupTallies(
        _ query: IndicatorQuery, actor: Actor, reference: ReferenceSnapshot,
        _ db: any SQLDatabase
    ) async throws -> IndicatorTallies {
        var tallies = IndicatorTallies()
        let column = query.groupBy?.isPeriod == true ? "period" : groupingColumn(query.groupBy)
        let sums = IndicatorMeasures.columns.map { SQLRaw("CAST(SUM(\($0)) AS BIGINT) AS \($0)") }
        for segment in rollupSegments(from: query.from, to: query.to, byDay: query.groupBy == .day || query.groupBy == .week) {
            let select = db.select().from(IndicatorRollups.table).columns(sums)
                .where("grain", .equal, segment.grain).where("period", .greaterThanOrEqual, segment.first)
                .where("period", .lessThanOrEqual, segment.last)
            guard select.reachable(by: actor, .readIndicator, unplacedToCoordinators: true, noTerritory: "") else { return tallies }
            filterIndicatorRows(select, query, reference: reference)
            if let column { select.column(SQLAlias(SQLColumn(column), as: SQLIdentifier("key"))).groupBy(column) }
            for row in try await select.all() {
                var tally = IndicatorTally()
                tally.measures = IndicatorMeasures(values: try IndicatorMeasures.columns.map { try row.decode(column: $0, as: Int64?.self) ?? 0 })
                let key = try column.map { _ in try row.decode(column: "key", as: String.self) }
                tallies.add(
                    key.map { key in
                        query.groupBy!.isPeriod ? ParisPeriods.key(ofDay: key, query.groupBy!) : (key.isEmpty ? "none" : key)
                    }, tally)
            }
        }
        return tallies
    }

    /// The day and month ranges (first and last period, both included) that cover `from`…`to`.
    static func rollupSegments(from: String, to: String, byDay: Bool) -> [(grain: String, first: String, last: String)] {
        let firstWhole = from.hasSuffix("-01") ? from : ParisPeriods.nextMonth(from)
        let afterLast = ParisPeriods.next(to)
        // The first day of the last whole month, when `to` ends its month.
        let lastWhole = afterLast.hasSuffix("-01") ? String(to.prefix(8)) + "01" : ParisPeriods.previousMonth(String(to.prefix(8)) + "01")
        guard !byDay, firstWhole <= lastWhole else { return [("day", from, to)] }
        var segments = [(grain: "month", first: firstWhole, last: lastWhole)]
        if from < firstWhole { segments.append(("day", from, ParisPeriods.previousDay(firstWhole))) }
        let tail = ParisPeriods.nextMonth(lastWhole)
        if tail <= to { segments.append(("day", tail, to)) }
        return segments
    }

    /// A row's value and sample from its tally.
    static func value(_ definition: IndicatorDefinition, key: String, _ tally: IndicatorTally) -> IndicatorRow {
        let m = tally.measures
        func rate(_ part: Int64, of whole: Int64) -> IndicatorRow {
            IndicatorRow(key: key, value: whole == 0 ? nil : Double(part) / Double(whole), sample: Int(whole))
        }
        func count(_ n: Int64) -> IndicatorRow { IndicatorRow(key: key, value: Double(n), sample: Int(n)) }
        switch definition.code {
        case "signalements_received": return count(m.received)
        case "signalements_resolved": return count(m.resolved)
        case "resolution_time_mean_hours":
            return IndicatorRow(
                key: key, value: m.resolved == 0 ? nil : Double(m.resolutionMilliseconds) / Double(m.resolved) / 3_600_000,
                sample: Int(m.resolved))
        case "resolved_within_commitment_rate": return rate(m.withinCommitment, of: m.judged)
        case "reopen_rate": return rate(m.reopened, of: m.received)
        case "reject_rate": return rate(m.rejected, of: m.received)
        case "duplicate_rate": return rate(m.duplicates, of: m.received)
        case "arbitration_rate": return rate(m.arbitrated, of: m.received)
        case "recurrence_rate": return rate(m.recurring, of: m.received)
        case "escalations_level_1": return count(m.escalations1)
        case "escalations_level_2": return count(m.escalations2)
        case "escalations_level_3": return count(m.escalations3)
        case "resolution_time_median_hours", "arbitration_to_assignment_median_hours":
            let hours = tally.durations.sorted()
            guard !hours.isEmpty else { return IndicatorRow(key: key, value: nil, sample: 0) }
            let middle = hours.count / 2
            let median = hours.count % 2 == 1 ? Double(hours[middle]) : Double(hours[middle - 1] + hours[middle]) / 2
            return IndicatorRow(key: key, value: median / 3_600_000, sample: hours.count)
        case "atfpb_realised_cents": return IndicatorRow(key: key, value: Double(tally.cents), sample: tally.count)
        case "action_sheet_completion", "walk_negative_converted_rate", "walk_engagements_done_90_days", "walk_engagements_on_time_90_days",
            "walk_engagements_done_180_days", "walk_engagements_on_time_180_days", "meeting_partner_attendance_rate",
            "escalations_reviewed_30_days", "meeting_engagements_on_time", "feedback_response_rate", "feedback_fixed_rate":
            return IndicatorRow(key: key, value: tally.count == 0 ? nil : Double(tally.done) / Double(tally.count), sample: tally.count)
        case "walk_days_to_report":
            let days = tally.durations
            return IndicatorRow(
                key: key, value: days.isEmpty ? nil : Double(days.reduce(0, +)) / Double(days.count) / 86_400_000, sample: days.count)
        default: return IndicatorRow(key: key, value: Double(tally.count), sample: tally.count)
        }
    }
}
