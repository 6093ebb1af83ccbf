import SQLKit

extension SQLSelectBuilder {
    /// Keeps the rows (with `partner_id` and `territory_id` columns) that `actor` reaches for `operation`
    /// by the permission table: its partner's, those of its territories and, with `unplacedToCoordinators`,
    /// those outside every territory for coordinators (as with signalements; `noTerritory` is how such a
    /// row says it: NULL, or "" in the indicator rollups). Returns false when the actor reaches nothing
    /// at all: the caller answers empty without asking the database.
    func reachable(by actor: Actor, _ operation: Operation, unplacedToCoordinators: Bool = false, noTerritory: String? = nil) -> Bool {
        let reach = Permissions.reach(actor.role, operation)
        if reach.contains(.all) { return true }
        let partner = reach.contains(.ownPartner) ? actor.partnerId : nil
        let territories = reach.contains(.ownTerritories) ? Array(actor.territoryIds) : []
        if partner == nil, territories.isEmpty { return false }
        self.where { group in
            if let partner { group.orWhere("partner_id", .equal, partner) }
            if !territories.isEmpty { group.orWhere("territory_id", .in, territories) }
            if unplacedToCoordinators, actor.role == .coordinator {
                if let noTerritory { group.orWhere("territory_id", .equal, noTerritory) } else { group.orWhere("territory_id", .is, SQLLiteral.null) }
            }
            return group
        }
        return true
    }
}

/// Rows that belong to a partner through a column of their own (a lead, an organiser) and to other
/// partners through a link table (`engagement_partners`, `walk_partners`).
struct SharedPartners {
    var table: String
    var partnerColumn: String
    var linkTable: String
    var linkKey: String

    /// The rows `partner` has: by the column, or linked.
    func involving(_ partner: String) -> any SQLExpression {
        let linked = SQLQueryString("SELECT \(ident: linkKey) FROM \(ident: linkTable) WHERE partner_id = \(bind: partner)")
        return SQLGroupExpression(
            SQLList(
                [
                    SQLBinaryExpression(SQLColumn(partnerColumn, table: table), .equal, SQLBind(partner)),
                    SQLBinaryExpression(SQLColumn("id", table: table), .in, SQLGroupExpression(linked)),
                ], separator: SQLRaw(" OR ")))
    }
}

extension SQLSelectBuilder {
    /// `reachable` for rows shared by partners: the actor's territories (`territory_id`), or the
    /// actor's partner by the column or the link table. False when the actor reaches nothing.
    func reachable(by actor: Actor, _ operation: Operation, shared: SharedPartners) -> Bool {
        let reach = Permissions.reach(actor.role, operation)
        if reach.contains(.all) { return true }
        let partner = reach.contains(.ownPartner) ? actor.partnerId : nil
        let territories = reach.contains(.ownTerritories) ? Array(actor.territoryIds) : []
        if partner == nil, territories.isEmpty { return false }
        self.where { group in
            if !territories.isEmpty { group.orWhere(SQLColumn("territory_id", table: shared.table), .in, SQLBind.group(territories)) }
            if let partner { group.orWhere(shared.involving(partner)) }
            return group
        }
        return true
    }
}
