import Foundation
import SQLKit

struct LoadedIntervention: Sendable {
    var intervention: Intervention
    var bodyHash: String
}

public struct InterventionFilter: Sendable {
    public var partnerId: String?
    /// In this territory or one below it.
    public var territoryId: String?
    public var status: InterventionStatus?
    public var atfpbAxis: Int?
    /// The period, on the day it was done (or scheduled, or recorded): both ends included.
    public var from: String?
    public var to: String?
    public var updatedSince: Date?

    public init(
        partnerId: String? = nil, territoryId: String? = nil, status: InterventionStatus? = nil, atfpbAxis: Int? = nil,
        from: String? = nil, to: String? = nil, updatedSince: Date? = nil
    ) {
        self.partnerId = partnerId
        self.territoryId = territoryId
        self.status = status
        self.atfpbAxis = atfpbAxis
        self.from = from
        self.to = to
        self.updatedSince = updatedSince
    }
}

extension Store {
    static let interventionColumns = [
        "id", "partner_id", "external_id", "kind", "status", "scheduled_at", "done_at", "territory_id", "lat", "long", "description",
        "atfpb_axis", "planned_cents", "realised_cents", "atfpb_share_cents", "other_funding_cents", "body_hash", "version",
        "created_at", "updated_at",
    ]

    static func loadIntervention(
        partnerId: String, externalId: String, _ db: any SQLDatabase, forUpdate: Bool = false
    ) async throws -> LoadedIntervention? {
        let query = db.select().columns(interventionColumns).from("interventions")
            .where("partner_id", .equal, partnerId).where("external_id", .equal, externalId)
        if forUpdate { query.for(.update) }
        return try await completeInterventions(try await query.all(), db).first
    }

    static func completeInterventions(_ rows: [any SQLRow], _ db: any SQLDatabase) async throws -> [LoadedIntervention] {
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.decode(column: "id", as: String.self) }
        var links: [String: [String]] = [:]
        for row in try await db.select().columns("intervention_id", "signalement_id").from("intervention_signalements")
            .where("intervention_id", .in, ids).orderBy("signalement_id").all()
        {
            links[try row.decode(column: "intervention_id", as: String.self), default: []]
                .append(try row.decode(column: "signalement_id", as: String.self))
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: String.self)
            let lat = try row.decode(column: "lat", as: Double?.self)
            let long = try row.decode(column: "long", as: Double?.self)
            let report = InterventionReport(
                kind: try row.decode(column: "kind", as: String.self),
                status: InterventionStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .planned,
                scheduledAt: try row.decode(column: "scheduled_at", as: Int64?.self), doneAt: try row.decode(column: "done_at", as: Int64?.self),
                territoryId: try row.decode(column: "territory_id", as: String?.self),
                location: lat.flatMap { lat in long.map { Position(long: $0, lat: lat) } },
                description: try row.decode(column: "description", as: String?.self), signalementIds: links[id] ?? [],
                atfpbAxis: try row.decode(column: "atfpb_axis", as: Int?.self),
                amounts: InterventionAmounts(
                    plannedCents: try row.decode(column: "planned_cents", as: Int64?.self),
                    realisedCents: try row.decode(column: "realised_cents", as: Int64?.self),
                    atfpbShareCents: try row.decode(column: "atfpb_share_cents", as: Int64?.self),
                    otherFundingCents: try row.decode(column: "other_funding_cents", as: Int64?.self)))
            return LoadedIntervention(
                intervention: Intervention(
                    id: id, partnerId: try row.decode(column: "partner_id", as: String.self),
                    externalId: try row.decode(column: "external_id", as: String.self), report: report,
                    version: try row.decode(column: "version", as: Int.self),
                    createdAt: try row.decode(column: "created_at", as: Int64.self),
                    updatedAt: try row.decode(column: "updated_at", as: Int64.self)),
                bodyHash: try row.decode(column: "body_hash", as: String.self))
        }
    }

    static func interventionScope(_ intervention: Intervention) -> ResourceScope {
        ResourceScope(partnerIds: [intervention.partnerId], territoryIds: Set(intervention.report.territoryId.map { [$0] } ?? []))
    }

    public func intervention(_ id: String, by actor: Actor) async throws -> Intervention {
        try Permissions.requireRole(actor, .readIntervention)
        let found = try await database.read { db in
            try await Self.completeInterventions(
                try await db.select().columns(Self.interventionColumns).from("interventions")
                    .where("id", .equal, id).all(), db
            ).first
        }
        guard let intervention = found?.intervention, Permissions.allows(actor, .readIntervention, on: Self.interventionScope(intervention)) else {
            throw DomainError.notFound("intervention not found")
        }
        return intervention
    }

    public func interventions(_ filter: InterventionFilter, page: PageRequest, by actor: Actor) async throws -> Page<Intervention> {
        try Permissions.requireRole(actor, .readIntervention)
        var check = Validator()
        if let from = filter.from, !LandParcel.isDay(from) { check.fail("from", "must be a date YYYY-MM-DD") }
        if let to = filter.to, !LandParcel.isDay(to) { check.fail("to", "must be a date YYYY-MM-DD") }
        if let axis = filter.atfpbAxis, !AtfpbAxis.numbers.contains(axis) { check.fail("axis", "must be from 1 to 8") }
        try check.throwIfFailed()
        let reference = try await referenceSnapshot()
        return try await database.read { db in
            let query = db.select().columns(Self.interventionColumns.map { SQLColumn($0, table: "interventions") }).from("interventions")
            guard query.reachable(by: actor, .readIntervention) else { return Page(items: [], nextCursor: nil) }
            if let partner = filter.partnerId { query.where("partner_id", .equal, partner) }
            if let territory = filter.territoryId {
                query.where("territory_id", .in, Array(reference.descendants(of: [territory]).union([territory])))
            }
            if let status = filter.status { query.where("status", .equal, status.rawValue) }
            if let axis = filter.atfpbAxis { query.where("atfpb_axis", .equal, axis) }
            if let from = filter.from { query.where("reference_day", .greaterThanOrEqual, from) }
            if let to = filter.to { query.where("reference_day", .lessThanOrEqual, to) }
            let rows = try await query.updated(since: filter.updatedSince, table: "interventions").paged(page, table: "interventions").all()
            let items = try await Self.completeInterventions(rows, db).map(\.intervention)
            return Page(rows: items, request: page) { PageCursor(createdAt: $0.createdAt, id: $0.id) }
        }
    }
}
