import SQLKit

/// The tables that bind partners, users and conventions to territories.
struct TerritoryLinks: Sendable {
    let table: String
    let ownerColumn: String

    static let partners = TerritoryLinks(table: "partner_territories", ownerColumn: "partner_id")
    static let users = TerritoryLinks(table: "user_territories", ownerColumn: "user_id")
    static let conventions = TerritoryLinks(table: "convention_territories", ownerColumn: "convention_id")

    /// Each owner's territory ids, sorted.
    func load(_ ownerIds: [String], _ db: any SQLDatabase) async throws -> [String: [String]] {
        guard !ownerIds.isEmpty else { return [:] }
        let rows = try await db.select().columns(ownerColumn, "territory_id").from(table)
            .where(SQLIdentifier(ownerColumn), .in, SQLBind.group(ownerIds)).orderBy("territory_id").all()
        var result: [String: [String]] = [:]
        for row in rows {
            result[try row.decode(column: ownerColumn, as: String.self), default: []]
                .append(try row.decode(column: "territory_id", as: String.self))
        }
        return result
    }

    /// Makes the owner's territories exactly `territoryIds`.
    func replace(_ ownerId: String, with territoryIds: [String], _ db: any SQLDatabase) async throws {
        try await db.delete(from: table).where(SQLIdentifier(ownerColumn), .equal, SQLBind(ownerId)).run()
        for territory in territoryIds {
            try await db.insert(into: table).columns(ownerColumn, "territory_id")
                .values(SQLBind(ownerId), SQLBind(territory)).run()
        }
    }
}
