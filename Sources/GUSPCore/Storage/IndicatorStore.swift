import Foundation
import SQLKit

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
        let now = nowMilliseconds
        let facts = try await indicatorFacts(definition, query, range: range, now: now, actor: actor, reference: reference)
        return Self.aggregate(definition, query, facts: facts)
    }

    /// The headline figures of a territory (or of all the caller sees) over a period.
    public func dashboard(territoryId: String?, from: String, to: String, by actor: Actor) async throws -> [(IndicatorDefinition, IndicatorRow)] {
        var figures: [(IndicatorDefinition, IndicatorRow)] = []
        for definition in IndicatorCatalogue.all {
            let result = try await indicator(definition.code, IndicatorQuery(from: from, to: to, territoryId: territoryId), by: actor)
            figures.append((definition, result.total))
        }
        return figures
    }

    struct IndicatorFact {
        var key: String?
        /// The Paris day the fact falls on (for period groupings).
        var day: String?
        var hours: Double?
        var withinCommitment: Bool?
    }

    static func checkIndicatorQuery(_ query: IndicatorQuery, _ definition: IndicatorDefinition, _ actor: Actor) throws -> (start: Int64, end: Int64) {
        var check = Validator()
        let start = ParisPeriods.start(of: query.from)
        let end = ParisPeriods.start(of: query.to)
        if start == nil { check.fail("from", "must be a date YYYY-MM-DD") }
        if end == nil { check.fail("to", "must be a date YYYY-MM-DD") }
        if let start, let end {
            if end < start { check.fail("to", "must not be before from") }
            if (end - start) / 86_400_000 > Int64(maximumIndicatorDays) { check.fail("to", "must be at most \(maximumIndicatorDays) days after from") }
        }
        if definition.isSnapshot, query.groupBy?.isPeriod == true {
            check.fail("group_by", "\(definition.code) is a figure of now: group it by category, territory or partner")
        }
        try check.throwIfFailed()
        if actor.role == .resident, query.partnerId != nil || query.groupBy == .partner {
            throw DomainError.forbidden("residents read the public figures, not each partner's")
        }
        // The end is exclusive: midnight after the last day.
        return (start!, ParisPeriods.start(of: ParisPeriods.next(query.to))!)
    }

    func indicatorFacts(_ definition: IndicatorDefinition, _ query: IndicatorQuery, range: (start: Int64, end: Int64), now: Int64,
                        actor: Actor, reference: ReferenceSnapshot) async throws -> [IndicatorFact] {
        try await database.read { db in
            let select = db.select().columns("id", "category_id", "territory_id", "partner_id", "created_at", "resolved_at", "due_at")
                .from("signalements")
            let open = SignalementStatus.open.map(\.rawValue)
            switch definition.code {
            case "signalements_received":
                select.where("created_at", .greaterThanOrEqual, range.start).where("created_at", .lessThan, range.end)
            case "backlog_now":
                select.where("status", .in, open)
            case "overdue_now":
                select.where("status", .in, open).where("due_at", .lessThan, now)
            default:
                select.where("resolved_at", .greaterThanOrEqual, range.start).where("resolved_at", .lessThan, range.end)
            }
            guard select.reachable(by: actor, .readIndicator, unplacedToCoordinators: true) else { return [] }
            if let territory = query.territoryId {
                select.where("territory_id", .in, Array(reference.descendants(of: [territory]).union([territory])))
            }
            if let partner = query.partnerId { select.where("partner_id", .equal, partner) }
            if let category = query.categoryId {
                let categories = reference.categories.keys.filter { reference.categoryChain($0).ids.contains(category) }
                select.where("category_id", .in, categories.isEmpty ? [category] : categories)
            }
            var facts: [IndicatorFact] = []
            for row in try await select.all() {
                let createdAt = try row.decode(column: "created_at", as: Int64.self)
                let resolvedAt = try row.decode(column: "resolved_at", as: Int64?.self)
                let dueAt = try row.decode(column: "due_at", as: Int64?.self)
                let key: String? = switch query.groupBy {
                case .category?: try row.decode(column: "category_id", as: String.self)
                case .territory?: try row.decode(column: "territory_id", as: String?.self) ?? "none"
                case .partner?: try row.decode(column: "partner_id", as: String?.self) ?? "none"
                default: nil
                }
                let at = definition.code == "signalements_received" ? createdAt : (resolvedAt ?? createdAt)
                facts.append(IndicatorFact(
                    key: key, day: query.groupBy?.isPeriod == true ? LandParcel.day(of: Date(storedMilliseconds: at)) : nil,
                    hours: resolvedAt.map { Double($0 - createdAt) / 3_600_000 },
                    withinCommitment: dueAt.flatMap { due in resolvedAt.map { $0 <= due } }))
            }
            return facts
        }
    }

    static func aggregate(_ definition: IndicatorDefinition, _ query: IndicatorQuery, facts: [IndicatorFact]) -> IndicatorResult {
        var groups: [String: [IndicatorFact]] = [:]
        var order: [String] = []
        if let grouping = query.groupBy, grouping.isPeriod {
            order = ParisPeriods.keys(from: query.from, to: query.to, grouping)
            for fact in facts { groups[ParisPeriods.key(ofDay: fact.day!, grouping), default: []].append(fact) }
        } else if query.groupBy != nil {
            for fact in facts { groups[fact.key!, default: []].append(fact) }
            order = groups.keys.sorted()
        }
        let rows = order.map { key in value(definition, key: key, groups[key] ?? []) }
        return IndicatorResult(definition: definition, query: IndicatorQueryEcho(from: query.from, to: query.to, groupBy: query.groupBy),
                               rows: rows, total: value(definition, key: "total", facts))
    }

    static func value(_ definition: IndicatorDefinition, key: String, _ facts: [IndicatorFact]) -> IndicatorRow {
        switch definition.code {
        case "resolution_time_mean_hours":
            let hours = facts.compactMap(\.hours)
            return IndicatorRow(key: key, value: hours.isEmpty ? nil : hours.reduce(0, +) / Double(hours.count), sample: hours.count)
        case "resolution_time_median_hours":
            let hours = facts.compactMap(\.hours).sorted()
            guard !hours.isEmpty else { return IndicatorRow(key: key, value: nil, sample: 0) }
            let middle = hours.count / 2
            let median = hours.count % 2 == 1 ? hours[middle] : (hours[middle - 1] + hours[middle]) / 2
            return IndicatorRow(key: key, value: median, sample: hours.count)
        case "resolved_within_commitment_rate":
            let judged = facts.compactMap(\.withinCommitment)
            return IndicatorRow(key: key, value: judged.isEmpty ? nil : Double(judged.filter { $0 }.count) / Double(judged.count),
                                sample: judged.count)
        default:
            return IndicatorRow(key: key, value: Double(facts.count), sample: facts.count)
        }
    }
}
