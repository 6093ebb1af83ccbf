import Foundation
import SQLKit

public struct SignalementFilter: Sendable {
    public var statuses: [SignalementStatus] = []
    /// A category and its subcategories.
    public var categoryId: String?
    /// A territory and the territories inside it.
    public var territoryId: String?
    public var partnerId: String?
    public var bbox: BoundingBox?
    public var createdSince: Date?
    public var createdBefore: Date?
    public var updatedSince: Date?
    public var updatedBefore: Date?
    /// Open and past their due date.
    public var overdue: Bool?
    /// Reported (residents) or filed (staff) by the caller.
    public var mine: Bool?

    public init() {}
}

extension Store {
    /// Signalements the caller may see, in creation order, personal data removed where it must be.
    public func signalements(_ filter: SignalementFilter, page: PageRequest, by actor: Actor) async throws -> Page<Signalement> {
        try Permissions.requireRole(actor, .readSignalement)
        let now = nowMilliseconds
        let loaded = try await database.read { db in
            let query = db.select().columns(Self.signalementColumns.map { SQLColumn($0, table: "signalements") }).from("signalements")
            Self.restrictToVisible(query, for: actor)
            if !filter.statuses.isEmpty { query.where("status", .in, filter.statuses.map(\.rawValue)) }
            // An unknown category or territory matches nothing (and `IN ()` is not SQL PostgreSQL accepts).
            if let category = filter.categoryId {
                let ids = try await Self.categoryWithDescendants(category, db)
                if ids.isEmpty { return [LoadedSignalement]() }
                query.where("category_id", .in, Array(ids))
            }
            if let territory = filter.territoryId {
                let ids = try await Self.territoriesWithDescendants([territory], db)
                if ids.isEmpty { return [LoadedSignalement]() }
                query.where("territory_id", .in, Array(ids))
            }
            if let partner = filter.partnerId { query.where("partner_id", .equal, partner) }
            if let box = filter.bbox {
                // The box's cells, one range per row of the grid (`signalements_cell`); a box over 400
                // rows (44 km) tall walks the creation order and keeps what falls inside.
                if let ranges = GroundDistance.cellRanges(in: box) { query.where(Self.cells(in: ranges)) }
                query.where("lat", .greaterThanOrEqual, box.minLat).where("lat", .lessThanOrEqual, box.maxLat)
                    .where("long", .greaterThanOrEqual, box.minLong).where("long", .lessThanOrEqual, box.maxLong)
            }
            if let since = filter.createdSince { query.where("created_at", .greaterThanOrEqual, since.storedMilliseconds) }
            if let before = filter.createdBefore { query.where("created_at", .lessThan, before.storedMilliseconds) }
            if let before = filter.updatedBefore { query.where("updated_at", .lessThan, before.storedMilliseconds) }
            if let overdue = filter.overdue {
                let open = SignalementStatus.open.map(\.rawValue)
                if overdue {
                    query.where("due_at", .lessThan, now).where("status", .in, open)
                } else {
                    query.where {
                        $0.where("due_at", .is, SQLLiteral.null).orWhere("due_at", .greaterThanOrEqual, now)
                            .orWhere("status", .notIn, open)
                    }
                }
            }
            if filter.mine == true {
                query.where { $0.where("reporter_id", .equal, actor.id).orWhere("filed_by", .equal, actor.id) }
            }
            let rows = try await query.updated(since: filter.updatedSince, table: "signalements").paged(page, table: "signalements")
                .all().map(SignalementRow.init)
            return try await Self.completeSignalements(rows, db)
        }
        return Page(rows: loaded.map { $0.signalement.redacted(for: actor, filedBy: $0.filedBy) }, request: page) {
            PageCursor(createdAt: $0.createdAt, id: $0.id)
        }
    }

    /// The SQL form of `SignalementAccess.mayRead`. The territory and "or" conditions are written on
    /// `COALESCE(column, '')` on purpose: no index can serve them, so both engines walk the creation-order
    /// index and stop at the page size, instead of collecting every visible row to sort it (which is what
    /// an index on these columns led SQLite to do, at a cost growing with the table).
    static func restrictToVisible(_ query: SQLSelectBuilder, for actor: Actor) {
        func unindexed(_ column: String) -> SQLExpression {
            SQLFunction("COALESCE", args: SQLColumn(column, table: "signalements"), SQLLiteral.string(""))
        }
        switch actor.role {
        case .admin, .resident:
            break
        case .coordinator:
            // Those outside every territory ('') are every coordinator's to place.
            query.where(unindexed("territory_id"), .in, SQLBind.group([""] + actor.territoryIds.sorted()))
        case .elected:
            if actor.territoryIds.isEmpty {
                query.where(SQLLiteral.boolean(false))
            } else {
                query.where(unindexed("territory_id"), .in, SQLBind.group(actor.territoryIds.sorted()))
            }
        case .technician:
            query.where {
                $0.where(unindexed("partner_id"), .equal, SQLBind(actor.partnerId ?? "-"))
                    .orWhere(unindexed("filed_by"), .equal, SQLBind(actor.id))
            }
        case .partnerSystem:
            query.where("partner_id", .equal, actor.partnerId ?? "")
        }
    }

    /// `cell` within one of `ranges`, as one indexed condition per range.
    static func cells(in ranges: [ClosedRange<Int64>]) -> SQLExpression {
        SQLGroupExpression(
            ranges.map { range -> SQLExpression in
                SQLBinaryExpression(
                    SQLBinaryExpression(SQLColumn("cell"), .greaterThanOrEqual, SQLBind(range.lowerBound)), .and,
                    SQLBinaryExpression(SQLColumn("cell"), .lessThanOrEqual, SQLBind(range.upperBound)))
            }.reduce(nil) { (joined: SQLExpression?, term) in joined.map { SQLBinaryExpression($0, .or, term) } ?? term }!)
    }

    static func categoryWithDescendants(_ id: String, _ db: any SQLDatabase) async throws -> Set<String> {
        let rows = try await db.raw(
            """
            WITH RECURSIVE tree(id) AS (
              SELECT id FROM categories WHERE id = \(bind: id)
              UNION SELECT child.id FROM categories child JOIN tree ON child.parent_id = tree.id)
            SELECT id FROM tree
            """
        ).all()
        return Set(try rows.map { try $0.decode(column: "id", as: String.self) })
    }
}
