import Foundation
import SQLKit

/// What an indicator's rows are computed from, summed per row key: the rollup measures, the durations
/// for a median, a count, an amount in cents, fiches-actions done among those counted.
struct IndicatorTally: Sendable {
    var measures = IndicatorMeasures()
    var durations: [Int64] = []
    var count = 0
    var cents: Int64 = 0
    var done = 0

    static func += (lhs: inout Self, rhs: Self) {
        lhs.measures += rhs.measures
        lhs.durations += rhs.durations
        lhs.count += rhs.count
        lhs.cents += rhs.cents
        lhs.done += rhs.done
    }
}

/// The tallies of one indicator query: per row key (a period's first day, an id, an axis) and in all.
struct IndicatorTallies: Sendable {
    var byKey: [String: IndicatorTally] = [:]
    var total = IndicatorTally()

    mutating func add(_ key: String?, _ tally: IndicatorTally) {
        if let key { byKey[key, default: .init()] += tally }
        total += tally
    }
}

extension Store {
    /// The longest period an indicator covers (ten years).
    static let maximumIndicatorDays = 3_660

    /// One indicator over a period, grouped or not, for what the caller may see: admins everything;
    /// coordinators and elected officials their territories (coordinators also what is outside every
    /// territory); a partner's staff and systems what was routed to it; residents the public counts and
    /// rates (no partner filter or grouping).
    public func indicator(_ code: String, _ query: IndicatorQuery, by actor: Actor) async throws -> IndicatorResult {
        try Permissions.requireRole(actor, .readIndicator)
        guard let definition = IndicatorCatalogue.definition(code) else { throw DomainError.notFound("no indicator \(code)") }
        let range = try Self.checkIndicatorQuery(query, definition, actor)
        let reference = try await referenceSnapshot()
        try Self.checkIndicatorFilters(query, reference)
        let now = nowMilliseconds
        let today = self.today
        let tallies = try await database.read { db in
            switch definition.source {
            case .rollups where query.groupBy == .channel:
                try await Self.channelTallies(query, range: range, actor: actor, reference: reference, db)
            case .rollups: try await Self.rollupTallies(query, actor: actor, reference: reference, db)
            case .residents: try await Self.residentTallies(definition, query, range: range, actor: actor, reference: reference, db)
            case .signalements where definition.isSnapshot:
                try await Self.openTallies(query, overdueAt: definition.code == "overdue_now" ? now : nil, actor: actor, reference: reference, db)
            case .signalements: try await Self.durationTallies(query, range: range, actor: actor, reference: reference, db)
            case .interventions:
                try await Self.interventionTallies(query, amounts: definition.unit == .cents, actor: actor, reference: reference, db)
            case .actionSheets: try await Self.actionSheetTallies(query, actor: actor, reference: reference, today: today, db)
            case .meetings: try await Self.meetingTallies(definition, query, range: range, now: now, actor: actor, reference: reference, db)
            case .walks: try await Self.walkTallies(definition, query, range: range, now: now, actor: actor, reference: reference, db)
            }
        }
        let keys: [String] =
            if let grouping = query.groupBy, grouping.isPeriod {
                ParisPeriods.keys(from: query.from, to: query.to, grouping)
            } else {
                tallies.byKey.keys.sorted()
            }
        return IndicatorResult(
            definition: definition, query: IndicatorQueryEcho(from: query.from, to: query.to, groupBy: query.groupBy),
            rows: keys.map { Self.value(definition, key: $0, tallies.byKey[$0] ?? .init()) },
            total: Self.value(definition, key: "total", tallies.total))
    }

    /// The headline figures of a territory (or of all the caller sees) over a period: the rollups read
    /// once for every figure they answer, the open signalements once for the figures of now.
    public func dashboard(territoryId: String?, from: String, to: String, by actor: Actor) async throws -> [(IndicatorDefinition, IndicatorRow)] {
        try Permissions.requireRole(actor, .readIndicator)
        let query = IndicatorQuery(from: from, to: to, territoryId: territoryId)
        _ = try Self.checkIndicatorQuery(query, IndicatorCatalogue.all[0], actor)
        let reference = try await referenceSnapshot()
        try Self.checkIndicatorFilters(query, reference)
        let now = nowMilliseconds
        let (rollups, open, overdue) = try await database.read { db in
            (
                try await Self.rollupTallies(query, actor: actor, reference: reference, db),
                try await Self.openTallies(query, overdueAt: nil, actor: actor, reference: reference, db),
                try await Self.openTallies(query, overdueAt: now, actor: actor, reference: reference, db)
            )
        }
        return IndicatorCatalogue.dashboard.filter { $0.isPublic || actor.role != .resident }.map { definition in
            let tally =
                switch definition.code {
                case "backlog_now": open.total
                case "overdue_now": overdue.total
                default: rollups.total
                }
            return (definition, Self.value(definition, key: "total", tally))
        }
    }

    /// The rollup cells that differ from a computation over the signalements and escalations (empty when
    /// the commands kept them right), for operators and tests.
    /// Writers wait meanwhile (one writer on SQLite; a share lock on PostgreSQL), so that nothing changes
    /// between the pages read.
    public func indicatorRollupDifferences() async throws -> [String] {
        let engine = database.engine
        return try await database.write { db in
            if engine == .postgres { try await db.raw("LOCK TABLE signalements, escalations, indicator_rollups IN SHARE MODE").run() }
            return try await IndicatorRollups.differences(db)
        }
    }

    /// Computes the rollups again from the signalements and escalations, writers waiting meanwhile.
    public func rebuildIndicatorRollups() async throws {
        let engine = database.engine
        try await database.write { db in
            if engine == .postgres { try await db.raw("LOCK TABLE signalements, escalations IN SHARE MODE").run() }
            try await IndicatorRollups.rebuild(db)
        }
    }

    static func checkIndicatorQuery(_ query: IndicatorQuery, _ definition: IndicatorDefinition, _ actor: Actor) throws -> (start: Int64, end: Int64) {
        var check = Validator()
        let start = ParisPeriods.start(of: query.from)
        let end = ParisPeriods.start(of: query.to)
        if start == nil {
            check.fail("from", "must be a date YYYY-MM-DD from \(ParisPeriods.years.lowerBound) to \(ParisPeriods.years.upperBound - 1)")
        }
        if end == nil || query.to.hasPrefix(String(ParisPeriods.years.upperBound)) {
            check.fail("to", "must be a date YYYY-MM-DD from \(ParisPeriods.years.lowerBound) to \(ParisPeriods.years.upperBound - 1)")
        }
        if let start, let end {
            if end < start { check.fail("to", "must not be before from") }
            if (end - start) / 86_400_000 > Int64(maximumIndicatorDays) {
                check.fail("to", "must be at most \(maximumIndicatorDays) days after from")
            }
        }
        if let grouping = query.groupBy, !definition.groupings.contains(grouping) {
            check.fail("group_by", "\(definition.code) groups by \(definition.groupings.map(\.rawValue).joined(separator: ", "))")
        }
        if query.categoryId != nil, ![.rollups, .signalements].contains(definition.source) {
            check.fail("category", "\(definition.code) is not about signalements: it has no category")
        }
        try check.throwIfFailed()
        if actor.role == .resident {
            if !definition.isPublic { throw DomainError.forbidden("residents read the public figures about signalements") }
            if query.partnerId != nil || query.groupBy == .partner {
                throw DomainError.forbidden("residents read the public figures, not each partner's")
            }
        }
        // The end is exclusive: midnight after the last day.
        return (start!, ParisPeriods.end(of: query.to)!)
    }

    /// Filters naming nothing known are errors, not zeros.
    static func checkIndicatorFilters(_ query: IndicatorQuery, _ reference: ReferenceSnapshot) throws {
        var check = Validator()
        if let territory = query.territoryId, reference.territories[territory] == nil { check.fail("territory", "is not a known territory") }
        if let partner = query.partnerId, reference.partnerKinds[partner] == nil { check.fail("partner", "is not a known partner") }
        if let category = query.categoryId, reference.categories[category] == nil { check.fail("category", "is not a known category") }
        try check.throwIfFailed()
    }

    /// Keeps the rows (with `territory_id`, `partner_id` and, with `category`, `category_id`) of the asked
    /// territory (and those below it), partner and category (and those below it).
    static func filterIndicatorRows(_ select: SQLSelectBuilder, _ query: IndicatorQuery, reference: ReferenceSnapshot, category: Bool = true) {
        if let territory = query.territoryId {
            select.where("territory_id", .in, Array(reference.descendants(of: [territory]).union([territory])))
        }
        if let partner = query.partnerId { select.where("partner_id", .equal, partner) }
        if category, let wanted = query.categoryId {
            let categories = reference.categories.keys.filter { reference.categoryChain($0).ids.contains(wanted) }
            select.where("category_id", .in, categories.isEmpty ? [wanted] : categories)
        }
    }

    /// The row key of a fact on Paris day `day` under `territory`, `partner` and `category` (nil: not grouped).
    static func indicatorKey(
        _ grouping: IndicatorGrouping?, day: String, territory: String?, partner: String?,
        category: String?
    ) -> String? {
        switch grouping {
        case nil: nil
        case .day?, .week?, .month?: ParisPeriods.key(ofDay: day, grouping!)
        case .territory?: territory.flatMap { $0.isEmpty ? nil : $0 } ?? "none"
        case .partner?: partner.flatMap { $0.isEmpty ? nil : $0 } ?? "none"
        case .category?: category ?? "none"
        case .convention?, .axis?, .kind?, .timeOfDay?, .role?, .ageBand?, .polarity?, .theme?, .channel?: nil
        }
    }
}
