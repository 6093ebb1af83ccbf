import SQLKit

/// The rule that keeps placement honest: a territory's contour lies within the contour of its nearest
/// ancestor that has one (a sector within its QPV, a QPV within its commune). Checked in the transaction
/// of every change that could break it (a contour drawn, moved or removed; a territory moved), for the
/// territory and every territory below it. Placement follows the same hierarchy
/// (`ReferenceSnapshot.territory(containing:)`).
enum TerritoryContours {
    struct Node {
        var id: String, code: String, parentId: String?, geometry: AreaGeometry?
    }

    /// Throws a 422 naming `field` when the territory `id` (as now written in `db`) or one of its
    /// descendants lies outside its nearest contoured ancestor.
    ///
    /// With `drawnBy` (a contour drawn or a territory moved by someone who does not hold everything), the
    /// territory's nearest contoured ancestor must be one of theirs: otherwise, below an ancestor without a
    /// contour, a contour could be drawn anywhere in the nearest one that has one, over a quartier of
    /// someone else, and win its points by being deeper.
    static func checkHierarchy(around id: String, field: String, drawnBy actor: Actor? = nil, _ db: any SQLDatabase) async throws {
        let subtree = try await nodes(
            db.raw(
                """
                WITH RECURSIVE tree(id) AS (
                  SELECT id FROM territories WHERE id = \(bind: id)
                  UNION SELECT child.id FROM territories child JOIN tree ON child.parent_id = tree.id)
                SELECT id, code, parent_id, geometry FROM territories WHERE id IN (SELECT id FROM tree)
                """))
        let ancestors = try await nodes(
            db.raw(
                """
                WITH RECURSIVE up(id, parent_id, depth) AS (
                  SELECT id, parent_id, 0 FROM territories WHERE id = \(bind: id)
                  UNION SELECT t.id, t.parent_id, up.depth + 1 FROM territories t JOIN up ON t.id = up.parent_id WHERE up.depth < 32)
                SELECT id, code, parent_id, geometry FROM territories WHERE id IN (SELECT id FROM up WHERE depth > 0)
                """))
        var byId: [String: Node] = [:]
        for node in ancestors + subtree { byId[node.id] = node }
        if let actor, let node = byId[id], node.geometry != nil {
            guard let holder = nearestContouredAncestor(of: node, byId), actor.territoryIds.contains(holder.id) else {
                throw ValidationFailure(field: field, message: "must lie within a contoured territory you hold")
            }
        }
        for node in subtree {
            guard let geometry = node.geometry, let holder = nearestContouredAncestor(of: node, byId) else { continue }
            if !holder.geometry!.covers(geometry) {
                let which = node.id == id ? "the contour" : "the contour of \(node.code), below it,"
                throw ValidationFailure(field: field, message: "\(which) must lie within the contour of \(holder.code)")
            }
        }
    }

    /// The contoured territories both reach sets hold (each with its descendants): a land parcel must lie
    /// within one of them. `nil` for `callerTerritories` means every territory (an admin).
    static func holders(partnerTerritories: Set<String>, callerTerritories: Set<String>?, _ db: any SQLDatabase) async throws -> [Node] {
        let partnerHeld = try await Store.territoriesWithDescendants(Array(partnerTerritories), db)
        let held = callerTerritories.map { partnerHeld.intersection($0) } ?? partnerHeld
        guard !held.isEmpty else { return [] }
        return try await nodes(
            db.raw(
                """
                SELECT id, code, parent_id, geometry FROM territories WHERE id IN (\(binds: Array(held))) AND geometry IS NOT NULL
                """))
    }

    private static func nearestContouredAncestor(of node: Node, _ byId: [String: Node]) -> Node? {
        var next = node.parentId
        var steps = 0
        while let current = next, let ancestor = byId[current], steps < 32 {
            if ancestor.geometry != nil { return ancestor }
            next = ancestor.parentId
            steps += 1
        }
        return nil
    }

    private static func nodes(_ query: SQLRawBuilder) async throws -> [Node] {
        try await query.all().map { row in
            let id = try row.decode(column: "id", as: String.self)
            let geometry = try row.decode(column: "geometry", as: String?.self).flatMap { GeometryCache.shared.geometry(id: id, json: $0) }
            return Node(
                id: id, code: try row.decode(column: "code", as: String.self),
                parentId: try row.decode(column: "parent_id", as: String?.self), geometry: geometry)
        }
    }
}
