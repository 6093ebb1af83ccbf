import Foundation
import SQLKit

extension Store {
    /// `status IN (…open…)` written out, as the partial index `signalements_backlog` says it: a planner
    /// uses a partial index only for a query whose condition repeats the index's own.
    package static let openStatusCondition = "status IN (\(SignalementStatus.open.map { "'\($0.rawValue)'" }.joined(separator: ", ")))"

    /// The open signalements now (those past their due date at `overdueAt` with it), counted in SQL.
    static func openTallies(
        _ query: IndicatorQuery, overdueAt: Int64?, actor: Actor, reference: ReferenceSnapshot,
        _ db: any SQLDatabase
    ) async throws -> IndicatorTallies {
        var tallies = IndicatorTallies()
        let select = db.select().column(SQLRaw("COUNT(*) AS n")).from("signalements").where(SQLRaw(openStatusCondition))
        if let overdueAt { select.where("due_at", .lessThan, overdueAt) }
        guard select.reachable(by: actor, .readIndicator, unplacedToCoordinators: true) else { return tallies }
        filterIndicatorRows(select, query, reference: reference)
        let column = groupingColumn(query.groupBy)
        if let column { select.column(SQLAlias(SQLColumn(column), as: SQLIdentifier("key"))).groupBy(column) }
        for row in try await select.all() {
            var tally = IndicatorTally()
            tally.count = try row.decode(column: "n", as: Int.self)
            tallies.add(try column.map { _ in try row.decode(column: "key", as: String?.self) ?? "none" }, tally)
        }
        return tallies
    }

    /// The times to resolve of the signalements resolved in the range, for a median: read from the
    /// covering index `signalements_resolution`.
    static func durationTallies(
        _ query: IndicatorQuery, range: (start: Int64, end: Int64), actor: Actor, reference: ReferenceSnapshot,
        _ db: any SQLDatabase
    ) async throws -> IndicatorTallies {
        var tallies = IndicatorTallies()
        let select = db.select().columns("resolved_at", "created_at", "territory_id", "partner_id", "category_id").from("signalements")
            .where("resolved_at", .greaterThanOrEqual, range.start).where("resolved_at", .lessThan, range.end)
        guard select.reachable(by: actor, .readIndicator, unplacedToCoordinators: true) else { return tallies }
        filterIndicatorRows(select, query, reference: reference)
        for row in try await select.all() {
            let resolvedAt = try row.decode(column: "resolved_at", as: Int64.self)
            var tally = IndicatorTally()
            tally.durations = [resolvedAt - (try row.decode(column: "created_at", as: Int64.self))]
            tallies.add(
                indicatorKey(
                    query.groupBy, day: ParisPeriods.day(ofMilliseconds: resolvedAt),
                    territory: try row.decode(column: "territory_id", as: String?.self),
                    partner: try row.decode(column: "partner_id", as: String?.self),
                    category: try row.decode(column: "category_id", as: String.self)), tally)
        }
        return tallies
    }

    /// Interventions done in the range (their reference day is the Paris day they were done), those the
    /// reader may see as interventions; with `amounts`, only those with an ATFPB axis, summing their
    /// realised amounts, by axis or by QPV (the QPV holding the intervention's territory).
    static func interventionTallies(
        _ query: IndicatorQuery, amounts: Bool, actor: Actor, reference: ReferenceSnapshot,
        _ db: any SQLDatabase
    ) async throws -> IndicatorTallies {
        var tallies = IndicatorTallies()
        let select = db.select().columns("reference_day", "territory_id", "partner_id", "atfpb_axis", "realised_cents").from("interventions")
            .where("status", .equal, InterventionStatus.done.rawValue)
            .where("reference_day", .greaterThanOrEqual, query.from).where("reference_day", .lessThanOrEqual, query.to)
        if amounts { select.where("atfpb_axis", .isNot, SQLLiteral.null) }
        guard select.reachable(by: actor, .readIntervention) else { return tallies }
        filterIndicatorRows(select, query, reference: reference, category: false)
        for row in try await select.all() {
            let territory = try row.decode(column: "territory_id", as: String?.self)
            let day = try row.decode(column: "reference_day", as: String.self)
            var tally = IndicatorTally()
            tally.count = 1
            tally.cents = try row.decode(column: "realised_cents", as: Int64?.self) ?? 0
            let key: String? =
                switch query.groupBy {
                case .axis?: String(try row.decode(column: "atfpb_axis", as: Int.self))
                case .territory? where amounts:
                    territory.map { reference.territoryChain($0).first { reference.territories[$0]?.kind == TerritoryKind.qpv.rawValue } ?? $0 }
                        ?? "none"
                default:
                    indicatorKey(
                        query.groupBy, day: day, territory: territory, partner: try row.decode(column: "partner_id", as: String.self),
                        category: nil)
                }
            tallies.add(key, tally)
        }
        return tallies
    }

    /// The fiches-actions of the conventions the reader may read (those over the asked territory, signed
    /// by the asked partner): done among those not abandoned, per convention.
    static func actionSheetTallies(
        _ query: IndicatorQuery, actor: Actor, reference: ReferenceSnapshot, today: String,
        _ db: any SQLDatabase
    ) async throws -> IndicatorTallies {
        var tallies = IndicatorTallies()
        let conventions = try await db.select().columns("id", "state", "start_date", "end_date").from("conventions").all()
        let ids = try conventions.map { try $0.decode(column: "id", as: String.self) }
        let signatories = try await conventionSignatories(ids, db)
        let territories = try await TerritoryLinks.conventions.load(ids, db)
        let asked = query.territoryId.map { Set(reference.territoryChain($0)).union(reference.descendants(of: [$0])) }
        var readable: [String] = []
        for row in conventions {
            let id = try row.decode(column: "id", as: String.self)
            let state = ConventionState(rawValue: try row.decode(column: "state", as: String.self)) ?? .draft
            let status = state.status(
                start: try row.decode(column: "start_date", as: String.self),
                end: try row.decode(column: "end_date", as: String.self), today: today)
            let scopes = conventionScopes(territoryIds: territories[id] ?? [], signatoryIds: signatories[id] ?? [], reference: reference)
            guard mayRead(actor, status: status, scopes: scopes), Permissions.allows(actor, .readConvention, on: scopes.read) else { continue }
            if let asked, asked.isDisjoint(with: territories[id] ?? []) { continue }
            if let partner = query.partnerId, !(signatories[id] ?? []).contains(partner) { continue }
            readable.append(id)
        }
        guard !readable.isEmpty else { return tallies }
        for row in try await db.select().columns("convention_id", "status").from("action_sheets").where("convention_id", .in, readable).all() {
            let status = ActionSheetStatus(rawValue: try row.decode(column: "status", as: String.self))
            guard status != .abandoned else { continue }
            var tally = IndicatorTally()
            tally.count = 1
            tally.done = status == .done ? 1 : 0
            tallies.add(query.groupBy == .convention ? try row.decode(column: "convention_id", as: String.self) : nil, tally)
        }
        return tallies
    }

    static func groupingColumn(_ grouping: IndicatorGrouping?) -> String? {
        switch grouping {
        case .territory?: "territory_id"
        case .partner?: "partner_id"
        case .category?: "category_id"
        default: nil
        }
    }
}
