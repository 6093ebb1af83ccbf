import Foundation
import GUSPDatabase
import SQLKit

struct EngagementRow: Decodable {
    var id: String, source: String, sourceId: String?, title: String, description: String?, territoryId: String
    var leadPartnerId: String, dueDate: String, status: String, statusNote: String?, actionSheetId: String?, conventionId: String?
    var `public`: Int, escalationLevel: Int, escalationCycle: Int, doneAt: Int64?, version: Int, createdAt: Int64, updatedAt: Int64
}

extension Store {
    static let engagementColumns: [any SQLExpression] =
        [
            "id", "source", "source_id", "title", "description", "territory_id", "lead_partner_id", "due_date", "status", "status_note",
            "action_sheet_id", "public", "escalation_level", "escalation_cycle", "done_at", "version", "created_at", "updated_at",
        ].map { SQLColumn($0, table: "engagements") } + [SQLAlias(SQLColumn("convention_id", table: "action_sheets"), as: "convention_id")]

    /// Engagements with their other partners, linked signalements and updates, in the rows' order.
    static func loadEngagements(_ query: SQLSelectBuilder, _ db: any SQLDatabase) async throws -> [(Engagement, cycle: Int)] {
        let rows = try await query.all(decoding: EngagementRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        guard !rows.isEmpty else { return [] }
        let ids = rows.map(\.id)
        var partners: [String: [String]] = [:]
        for row in try await db.select().columns("engagement_id", "partner_id").from("engagement_partners")
            .where("engagement_id", .in, ids).orderBy("partner_id").all()
        {
            partners[try row.decode(column: "engagement_id", as: String.self), default: []].append(
                try row.decode(column: "partner_id", as: String.self))
        }
        var signalements: [String: [String]] = [:]
        for row in try await db.select().columns("engagement_id", "signalement_id").from("engagement_signalements")
            .where("engagement_id", .in, ids).orderBy("signalement_id").all()
        {
            signalements[try row.decode(column: "engagement_id", as: String.self), default: []]
                .append(try row.decode(column: "signalement_id", as: String.self))
        }
        var updates: [String: [EngagementUpdate]] = [:]
        for row in try await db.select().columns("id", "engagement_id", "day", "note", "created_at").from("engagement_updates")
            .where("engagement_id", .in, ids).orderBy("day").orderBy("created_at").orderBy("id").all()
        {
            updates[try row.decode(column: "engagement_id", as: String.self), default: []].append(
                EngagementUpdate(
                    id: try row.decode(column: "id", as: String.self), day: try row.decode(column: "day", as: String.self),
                    note: try row.decode(column: "note", as: String.self), createdAt: try row.decode(column: "created_at", as: Int64.self)))
        }
        return try rows.map { row in
            guard let source = EngagementSource(rawValue: row.source), let status = EngagementStatus(rawValue: row.status) else {
                throw StorageFailure(description: "engagement \(row.id) has an unknown source or status")
            }
            let engagement = Engagement(
                id: row.id, source: source, sourceId: row.sourceId, title: row.title, description: row.description,
                territoryId: row.territoryId, leadPartnerId: row.leadPartnerId, partnerIds: partners[row.id] ?? [], dueDate: row.dueDate,
                status: status, statusNote: row.statusNote, signalementIds: signalements[row.id] ?? [], conventionId: row.conventionId,
                actionSheetId: row.actionSheetId, isPublic: row.public != 0, escalationLevel: row.escalationLevel,
                updates: updates[row.id] ?? [], doneAt: row.doneAt, version: row.version, createdAt: row.createdAt,
                updatedAt: row.updatedAt)
            return (engagement, row.escalationCycle)
        }
    }

    static func engagementQuery(_ db: any SQLDatabase) -> SQLSelectBuilder {
        db.select().columns(engagementColumns).from("engagements")
            .join(
                "action_sheets", method: SQLJoinMethod.left, on: SQLColumn("action_sheet_id", table: "engagements"), .equal,
                SQLColumn("id", table: "action_sheets"))
    }

    static func loadEngagement(_ id: String, _ db: any SQLDatabase, forUpdate: Bool = false) async throws -> (Engagement, cycle: Int)? {
        // The row is locked on its own: PostgreSQL locks no row on the nullable side of an outer join.
        if forUpdate { _ = try await db.select().column("id").from("engagements").where("id", .equal, id).for(.update).first() }
        let query = engagementQuery(db).where(SQLColumn("id", table: "engagements"), .equal, SQLBind(id))
        return try await loadEngagements(query, db).first
    }

    /// Whether the actor may read this engagement: residents the public ones only.
    static func sees(_ actor: Actor, _ engagement: Engagement) -> Bool {
        if actor.role == .resident { return engagement.isPublic }
        return Permissions.allows(actor, .readEngagement, on: engagement.scope)
    }

    /// An engagement the actor may read, else "not found".
    static func visibleEngagement(
        _ id: String, _ actor: Actor, _ db: any SQLDatabase, forUpdate: Bool = false
    ) async throws -> (
        Engagement, cycle: Int
    ) {
        guard let found = try await loadEngagement(id, db, forUpdate: forUpdate), sees(actor, found.0) else {
            throw DomainError.notFound("engagement not found")
        }
        return found
    }

    public func engagement(_ id: String, by actor: Actor) async throws -> Engagement {
        try Permissions.requireRole(actor, .readEngagement)
        return try await database.read { db in try await Self.visibleEngagement(id, actor, db).0 }.redacted(for: actor)
    }

    /// The engagements the caller may read, oldest first: coordinators and elected officials those of
    /// their territories, a partner's staff and systems those it leads or takes part in, residents the
    /// public ones.
    public func engagements(_ filter: EngagementFilter, page: PageRequest, by actor: Actor) async throws -> Page<Engagement> {
        try Permissions.requireRole(actor, .readEngagement)
        var check = Validator()
        if let day = filter.dueBefore, !LandParcel.isDay(day) { check.fail("due_before", "must be a date YYYY-MM-DD") }
        try check.throwIfFailed()
        let reference = try await referenceSnapshot()
        let now = nowMilliseconds
        let items = try await database.read { db in
            let query = Self.engagementQuery(db)
            let column = { (name: String) in SQLColumn(name, table: "engagements") }
            let shared = SharedPartners(
                table: "engagements", partnerColumn: "lead_partner_id", linkTable: "engagement_partners", linkKey: "engagement_id")
            if actor.role == .resident {
                query.where(column("public"), .equal, SQLBind(1))
            } else if !query.reachable(by: actor, .readEngagement, shared: shared) {
                return [(Engagement, cycle: Int)]()
            }
            if let territory = filter.territoryId {
                query.where(column("territory_id"), .in, SQLBind.group(Array(reference.descendants(of: [territory]).union([territory]))))
            }
            if let partner = filter.partnerId { query.where(shared.involving(partner)) }
            if let status = filter.status { query.where(column("status"), .equal, SQLBind(status.rawValue)) }
            if let source = filter.source { query.where(column("source"), .equal, SQLBind(source.rawValue)) }
            if let sourceId = filter.sourceId { query.where(column("source_id"), .equal, SQLBind(sourceId)) }
            if let day = filter.dueBefore { query.where(column("due_date"), .lessThanOrEqual, SQLBind(day)) }
            let open = [EngagementStatus.planned.rawValue, EngagementStatus.inProgress.rawValue]
            switch filter.overdue {
            case true?:
                query.where(column("status"), .in, SQLBind.group(open)).where(column("due_at"), .lessThanOrEqual, SQLBind(now))
            case false?:
                query.where { $0.where(column("status"), .notIn, SQLBind.group(open)).orWhere(column("due_at"), .greaterThan, SQLBind(now)) }
            case nil: break
            }
            return try await Self.loadEngagements(
                query.updated(since: filter.updatedSince, table: "engagements").paged(page, table: "engagements"), db)
        }
        return Page(rows: items.map { $0.0.redacted(for: actor) }, request: page) { PageCursor(createdAt: $0.createdAt, id: $0.id) }
    }
}
