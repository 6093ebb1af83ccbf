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
