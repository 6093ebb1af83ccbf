import Foundation
import SQLKit

/// A walk an indicator counts: held (or with its report published, or closed) on a Paris day of the
/// period, among those the reader may see.
private struct CountedWalk {
    var id: String
    var kind: String
    var timeOfDay: String
    var territoryId: String
    var startsAt: Int64
    var day: String
}

extension Store {
    static let heldWalkStatuses = [WalkStatus.held, .reportPublished, .closed].map(\.rawValue)

    /// The walk indicators. Walks are tens a year per quartier, so the walks of the period are read by
    /// their start (`walks_starts`) and their attendance, observations, report versions and engagements
    /// by walk id: the reader's reach applies to the walks, as the walk list applies it.
    static func walkTallies(
        _ definition: IndicatorDefinition, _ query: IndicatorQuery, range: (start: Int64, end: Int64), now: Int64, actor: Actor,
        reference: ReferenceSnapshot, _ db: any SQLDatabase
    ) async throws -> IndicatorTallies {
        var tallies = IndicatorTallies()
        let walks = try await countedWalks(query, range: range, actor: actor, reference: reference, db)
        guard !walks.isEmpty else { return tallies }
        let byId = Dictionary(uniqueKeysWithValues: walks.map { ($0.id, $0) })
        /// The row key of a fact of `walk`; `extra` answers the groupings that are not the walk's own.
        func key(_ walk: CountedWalk, _ extra: (IndicatorGrouping) -> String? = { _ in nil }) -> String? {
            switch query.groupBy {
            case nil: nil
            case .day?, .week?, .month?: ParisPeriods.key(ofDay: walk.day, query.groupBy!)
            case .territory?: walk.territoryId
            case .kind?: walk.kind
            case .timeOfDay?: walk.timeOfDay
            case let grouping?: extra(grouping) ?? "none"
            }
        }
        let ids = walks.map(\.id)
        switch definition.code {
        case "walks_held":
            for walk in walks {
                var tally = IndicatorTally()
                tally.count = 1
                tallies.add(key(walk), tally)
            }
        case "walk_participants":
            for row in try await rows(db, "walk_attendance", ["walk_id", "role", "age_band", "count"], ids) {
                guard let walk = byId[try row.decode(column: "walk_id", as: String.self)] else { continue }
                let role = try row.decode(column: "role", as: String.self)
                let band = try row.decode(column: "age_band", as: String.self)
                var tally = IndicatorTally()
                tally.count = try row.decode(column: "count", as: Int.self)
                tallies.add(key(walk) { $0 == .role ? role : $0 == .ageBand ? (band.isEmpty ? "none" : band) : nil }, tally)
            }
        case "walk_observations", "walk_negative_converted_rate":
            let negativesOnly = definition.code == "walk_negative_converted_rate"
            for row in try await rows(db, "walk_observations", ["walk_id", "polarity", "theme", "converted_id"], ids) {
                guard let walk = byId[try row.decode(column: "walk_id", as: String.self)] else { continue }
                let polarity = try row.decode(column: "polarity", as: String.self)
                if negativesOnly, polarity != ObservationPolarity.negative.rawValue { continue }
                let theme = try row.decode(column: "theme", as: String.self)
                var tally = IndicatorTally()
                tally.count = 1
                // A claim in flight (`pending:…`) is not a conversion yet.
                let converted = try row.decode(column: "converted_id", as: String?.self)
                tally.done = converted == nil || converted!.hasPrefix("pending:") ? 0 : 1
                tallies.add(key(walk) { $0 == .polarity ? polarity : $0 == .theme ? theme : nil }, tally)
            }
        case "walk_days_to_report":
            var first: [String: Int64] = [:]
            for row in try await rows(db, "walk_report_versions", ["walk_id", "published_at"], ids) {
                let walk = try row.decode(column: "walk_id", as: String.self)
                let at = try row.decode(column: "published_at", as: Int64.self)
                first[walk] = min(first[walk] ?? at, at)
            }
            for walk in walks {
                guard let published = first[walk.id] else { continue }
                var tally = IndicatorTally()
                tally.durations = [max(0, published - walk.startsAt)]
                tallies.add(key(walk), tally)
            }
        default:
            // walk_engagements_{done,on_time}_{90,180}_days
            let days: Int64 = definition.code.hasSuffix("_180_days") ? 180 : 90
            let onTime = definition.code.contains("_on_time_")
            let engagements = try await rows(for: ids) { chunk in
                db.select().columns("source_id", "status", "due_at", "done_at").from("engagements")
                    .where("source", .equal, EngagementSource.walk.rawValue).where("source_id", .in, chunk)
            }
            for row in engagements {
                // A share "at 90 days" exists once 90 days have passed since the walk.
                guard let walk = byId[try row.decode(column: "source_id", as: String.self)], walk.startsAt + days * 86_400_000 <= now
                else { continue }
                let doneAt =
                    try row.decode(column: "status", as: String.self) == EngagementStatus.done.rawValue
                    ? try row.decode(column: "done_at", as: Int64?.self) : nil
                let dueAt = try row.decode(column: "due_at", as: Int64.self)
                var tally = IndicatorTally()
                tally.count = 1
                if let doneAt, doneAt <= walk.startsAt + days * 86_400_000, !onTime || doneAt <= dueAt { tally.done = 1 }
                tallies.add(key(walk), tally)
            }
        }
        return tallies
    }

    private static func countedWalks(
        _ query: IndicatorQuery, range: (start: Int64, end: Int64), actor: Actor, reference: ReferenceSnapshot, _ db: any SQLDatabase
    ) async throws -> [CountedWalk] {
        let select = db.select().columns("id", "kind", "time_of_day", "territory_id", "starts_at").from("walks")
            .where("starts_at", .greaterThanOrEqual, range.start).where("starts_at", .lessThan, range.end)
            .where("status", .in, heldWalkStatuses)
        guard walkReach(select, actor: actor, territoryId: query.territoryId, partnerId: query.partnerId, reference: reference) else { return [] }
        return try await select.all().map { row in
            let startsAt = try row.decode(column: "starts_at", as: Int64.self)
            return CountedWalk(
                id: try row.decode(column: "id", as: String.self), kind: try row.decode(column: "kind", as: String.self),
                timeOfDay: try row.decode(column: "time_of_day", as: String.self),
                territoryId: try row.decode(column: "territory_id", as: String.self), startsAt: startsAt,
                day: ParisPeriods.day(ofMilliseconds: startsAt))
        }
    }

    /// The rows of `table` about these walks.
    private static func rows(_ db: any SQLDatabase, _ table: String, _ columns: [String], _ ids: [String]) async throws -> [any SQLRow] {
        try await rows(for: ids) { chunk in db.select().columns(columns).from(table).where("walk_id", .in, chunk) }
    }
}
