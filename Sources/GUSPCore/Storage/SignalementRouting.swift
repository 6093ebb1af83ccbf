import Foundation
import SQLKit

/// Who is responsible for a signalement, and why (the reason is recorded in the "created" event).
struct RoutingDecision: Equatable {
    var partnerId: String?
    var reason: String
}

/// Routing by domanialité, in this order:
/// 1. land parcels valid today whose contour contains the point and that cover the category (or one of
///    its ancestors, or all categories): one partner among them → that partner; several → arbitration;
/// 2. else the category's default partner kind (its own or its nearest ancestor's): partners of that kind
///    working in the signalement's territory, or failing that in the nearest enclosing territory that
///    has any: exactly one → that partner; several → arbitration;
/// 3. else (no kind, no territory, nobody of that kind) → arbitration.
enum SignalementRouting {
    static func route(categoryId: String, location: Position?, territoryId: String?, at now: Date,
                      _ db: any SQLDatabase) async throws -> RoutingDecision {
        let categories = try await categoryAncestry(categoryId, db)
        if let location {
            let partners = try await parcelPartners(containing: location, categories: categories.map(\.id), on: now, db)
            if partners.count == 1 { return RoutingDecision(partnerId: partners[0], reason: "land parcel") }
            if partners.count > 1 {
                return RoutingDecision(partnerId: nil, reason: "several land parcels of different partners")
            }
        }
        guard let kind = categories.lazy.compactMap(\.defaultKind).first else {
            return RoutingDecision(partnerId: nil, reason: "the category has no default partner kind")
        }
        guard let territoryId else { return RoutingDecision(partnerId: nil, reason: "no territory") }
        for territory in try await territoryAncestry(territoryId, db) {
            let partners = try await db.select().column(SQLColumn("id", table: "partners")).from("partners")
                .join("partner_territories", on: SQLColumn("partner_id", table: "partner_territories"), .equal, SQLColumn("id", table: "partners"))
                .where(SQLColumn("territory_id", table: "partner_territories"), .equal, SQLBind(territory))
                .where(SQLColumn("kind", table: "partners"), .equal, SQLBind(kind))
                .all().map { try $0.decode(column: "id", as: String.self) }
            if partners.count == 1 { return RoutingDecision(partnerId: partners[0], reason: "default partner (\(kind))") }
            if partners.count > 1 { return RoutingDecision(partnerId: nil, reason: "several partners of kind \(kind)") }
        }
        return RoutingDecision(partnerId: nil, reason: "no partner of kind \(kind) in this territory")
    }

    /// The category and its ancestors, nearest first, with their default partner kinds.
    static func categoryAncestry(_ id: String, _ db: any SQLDatabase) async throws -> [(id: String, defaultKind: String?)] {
        var chain: [(id: String, defaultKind: String?)] = []
        var next: String? = id
        while let current = next, chain.count < 32 {
            guard let row = try await db.select().columns("parent_id", "default_partner_kind").from("categories")
                .where("id", .equal, current).first() else { break }
            chain.append((current, try row.decode(column: "default_partner_kind", as: String?.self)))
            next = try row.decode(column: "parent_id", as: String?.self)
        }
        return chain
    }

    /// The territory and its ancestors, nearest first.
    static func territoryAncestry(_ id: String, _ db: any SQLDatabase) async throws -> [String] {
        var chain: [String] = []
        var next: String? = id
        while let current = next, chain.count < 32 {
            chain.append(current)
            next = try await db.select().column("parent_id").from("territories").where("id", .equal, current).first()?
                .decode(column: "parent_id", as: String?.self)
        }
        return chain
    }

    /// The distinct partners of valid parcels containing the point and covering one of the categories.
    static func parcelPartners(containing point: Position, categories: [String], on now: Date,
                               _ db: any SQLDatabase) async throws -> [String] {
        let today = LandParcel.day(of: now)
        let rows = try await db.select().columns("id", "partner_id", "geometry").from("land_parcels")
            .where("bbox_min_long", .lessThanOrEqual, point.long).where("bbox_max_long", .greaterThanOrEqual, point.long)
            .where("bbox_min_lat", .lessThanOrEqual, point.lat).where("bbox_max_lat", .greaterThanOrEqual, point.lat)
            .where { $0.where("valid_from", .is, SQLLiteral.null).orWhere("valid_from", .lessThanOrEqual, today) }
            .where { $0.where("valid_to", .is, SQLLiteral.null).orWhere("valid_to", .greaterThanOrEqual, today) }
            .where {
                $0.where("all_categories", .equal, 1).orWhere("id", .in, SQLGroupExpression(SQLQueryString(
                    "SELECT land_parcel_id FROM land_parcel_categories WHERE category_id IN (\(binds: categories))")))
            }
            .all()
        var partners: [String] = []
        for row in rows {
            let id = try row.decode(column: "id", as: String.self)
            guard let geometry = GeometryCache.shared.geometry(id: id, json: try row.decode(column: "geometry", as: String.self)),
                  geometry.contains(point) else { continue }
            let partner = try row.decode(column: "partner_id", as: String.self)
            if !partners.contains(partner) { partners.append(partner) }
        }
        return partners
    }
}

/// The one place that says which service commitment applies to a signalement, and so its due date.
/// Today: the category's own commitment, counted from the filing time. Conventions will add their
/// commitments here (most specific territory, then partner-specific, then latest version).
enum ServiceCommitments {
    static func dueDate(categoryId: String, territoryId: String?, partnerId: String?, filedAt: Int64,
                        _ db: any SQLDatabase) async throws -> Int64? {
        guard let category = try await Store.loadCategory(categoryId, db), let commitment = category.commitment else { return nil }
        return commitment.dueDate(from: Date(storedMilliseconds: filedAt)).storedMilliseconds
    }
}
