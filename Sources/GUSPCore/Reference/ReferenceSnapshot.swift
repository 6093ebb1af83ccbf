import Foundation
import SQLKit

/// The reference data a filing needs, read in five queries and then consulted in memory: categories,
/// territories (tree and contours), which partners of which kind work in which territory, and land
/// parcels with the categories they cover.
package struct ReferenceSnapshot: Sendable {
    package struct CategoryEntry: Decodable, Sendable {
        package var id: String, parentId: String?, code: String, residentFileable: Int, defaultPartnerKind: String?
        var commitmentAmount: Int?, commitmentUnit: String?
    }

    package struct TerritoryEntry: Sendable {
        package var id: String
        package var kind: String
        package var parentId: String?
        package var geometry: String?
        package var box: BoundingBox?
    }

    struct ParcelEntry: Sendable {
        var id: String, partnerId: String, allCategories: Bool, categoryIds: Set<String>
        var geometry: String, box: BoundingBox, validFrom: String?, validTo: String?
    }

    package var categories: [String: CategoryEntry] = [:]
    package var territories: [String: TerritoryEntry] = [:]
    /// territory id → (partner id, partner kind), in partner id order.
    package var partnersByTerritory: [String: [(id: String, kind: String)]] = [:]
    var parcels: [ParcelEntry] = []
    /// territory id → the ids of the territories right below it.
    var children: [String: [String]] = [:]
    /// partner id → kind, for every partner.
    var partnerKinds: [String: String] = [:]
    /// The signed (not terminated) conventions' content in force, for service commitments.
    var conventions: [ConventionInForce] = []

    static func load(_ db: any SQLDatabase) async throws -> ReferenceSnapshot {
        var snapshot = ReferenceSnapshot()
        for entry in try await db.select()
            .columns("id", "parent_id", "code", "resident_fileable", "default_partner_kind", "commitment_amount", "commitment_unit")
            .from("categories").all(decoding: CategoryEntry.self, keyDecodingStrategy: .convertFromSnakeCase)
        {
            snapshot.categories[entry.id] = entry
        }
        for row in try await db.select()
            .columns("id", "kind", "parent_id", "geometry", "bbox_min_long", "bbox_min_lat", "bbox_max_long", "bbox_max_lat")
            .from("territories").all()
        {
            let id = try row.decode(column: "id", as: String.self)
            snapshot.territories[id] = TerritoryEntry(
                id: id, kind: try row.decode(column: "kind", as: String.self), parentId: try row.decode(column: "parent_id", as: String?.self),
                geometry: try row.decode(column: "geometry", as: String?.self), box: try box(row))
        }
        for row in try await db.select().column(SQLColumn("territory_id", table: "pt")).column(SQLColumn("id", table: "p"))
            .column(SQLColumn("kind", table: "p"))
            .from(SQLAlias(SQLIdentifier("partner_territories"), as: SQLIdentifier("pt")))
            .join(
                SQLAlias(SQLIdentifier("partners"), as: SQLIdentifier("p")), on: SQLColumn("partner_id", table: "pt"), .equal,
                SQLColumn("id", table: "p")
            )
            .orderBy(SQLColumn("id", table: "p")).all()
        {
            snapshot.partnersByTerritory[try row.decode(column: "territory_id", as: String.self), default: []]
                .append((try row.decode(column: "id", as: String.self), try row.decode(column: "kind", as: String.self)))
        }
        for territory in snapshot.territories.values {
            if let parent = territory.parentId { snapshot.children[parent, default: []].append(territory.id) }
        }
        for row in try await db.select().columns("id", "kind").from("partners").all() {
            snapshot.partnerKinds[try row.decode(column: "id", as: String.self)] = try row.decode(column: "kind", as: String.self)
        }
        snapshot.conventions = try await ConventionInForce.load(db)
        var parcelCategories: [String: Set<String>] = [:]
        for row in try await db.select().columns("land_parcel_id", "category_id").from("land_parcel_categories").all() {
            parcelCategories[try row.decode(column: "land_parcel_id", as: String.self), default: []]
                .insert(try row.decode(column: "category_id", as: String.self))
        }
        for row in try await db.select()
            .columns(
                "id", "partner_id", "all_categories", "geometry", "bbox_min_long", "bbox_min_lat", "bbox_max_long", "bbox_max_lat",
                "valid_from", "valid_to"
            )
            .from("land_parcels").all()
        {
            let id = try row.decode(column: "id", as: String.self)
            guard let box = try box(row) else { continue }
            snapshot.parcels.append(
                ParcelEntry(
                    id: id, partnerId: try row.decode(column: "partner_id", as: String.self),
                    allCategories: try row.decode(column: "all_categories", as: Int.self) != 0, categoryIds: parcelCategories[id] ?? [],
                    geometry: try row.decode(column: "geometry", as: String.self), box: box,
                    validFrom: try row.decode(column: "valid_from", as: String?.self), validTo: try row.decode(column: "valid_to", as: String?.self)))
        }
        return snapshot
    }

    private static func box(_ row: any SQLRow) throws -> BoundingBox? {
        guard let minLong = try row.decode(column: "bbox_min_long", as: Double?.self),
            let minLat = try row.decode(column: "bbox_min_lat", as: Double?.self),
            let maxLong = try row.decode(column: "bbox_max_long", as: Double?.self),
            let maxLat = try row.decode(column: "bbox_max_lat", as: Double?.self)
        else { return nil }
        return BoundingBox(minLong: minLong, minLat: minLat, maxLong: maxLong, maxLat: maxLat)
    }

    /// The category and its ancestors, nearest first.
    package func categoryChain(_ id: String) -> CategoryChain {
        var links: [CategoryChain.Link] = []
        var next: String? = id
        while let current = next, let entry = categories[current], links.count < 32 {
            links.append(
                CategoryChain.Link(
                    id: entry.id, code: entry.code, residentFileable: entry.residentFileable,
                    defaultPartnerKind: entry.defaultPartnerKind, commitmentAmount: entry.commitmentAmount,
                    commitmentUnit: entry.commitmentUnit))
            next = entry.parentId
        }
        return CategoryChain(links: links)
    }

    /// The territory and its ancestors, nearest first.
    func territoryChain(_ id: String) -> [String] {
        var chain: [String] = []
        var next: String? = id
        while let current = next, let entry = territories[current], chain.count < 32 {
            chain.append(current)
            next = entry.parentId
        }
        return chain
    }

    /// The territories below any of `ids` (not including them, unless one is below another).
    /// Whether the point lies within the territory's contour (true when it has none: nothing to check).
    package func lies(_ point: Position, within territoryId: String) -> Bool {
        guard let entry = territories[territoryId], let text = entry.geometry else { return true }
        guard let box = entry.box, box.contains(point), let geometry = GeometryCache.shared.geometry(id: entry.id, json: text) else {
            return false
        }
        return geometry.contains(point)
    }

    /// Whether a category is tranquillité or below it: confidential wherever it is shown (agendas,
    /// public pages, digests).
    package func isTranquillite(_ categoryId: String) -> Bool {
        categoryChain(categoryId).links.contains { $0.code == "tranquillite" }
    }

    /// Every category under `tranquillite`, itself included.
    package var tranquilliteCategories: Set<String> { Set(categories.keys.filter(isTranquillite)) }

    package func descendants(of ids: Set<String>) -> Set<String> {
        var result = Set<String>()
        var queue = Array(ids)
        while let current = queue.popLast() {
            for child in children[current] ?? [] where result.insert(child).inserted { queue.append(child) }
        }
        return result.subtracting(ids)
    }

    /// The most specific contoured territory containing the point, following the hierarchy: the deepest
    /// one whose contoured ancestors all contain the point too (a sector counts only inside its QPV, a
    /// QPV only inside its commune), the smallest area among equals. A contour drawn outside its parent's
    /// (refused since `TerritoryContours`, but possibly stored before) cannot take a point from the
    /// territory it overlaps.
    package func territory(containing point: Position) -> String? {
        var containing: [String: Double] = [:]
        for entry in territories.values {
            guard let box = entry.box, let text = entry.geometry, box.contains(point),
                let geometry = GeometryCache.shared.geometry(id: entry.id, json: text), geometry.contains(point)
            else { continue }
            containing[entry.id] = geometry.area
        }
        var best: (id: String, depth: Int, area: Double)?
        for (id, area) in containing {
            let chain = territoryChain(id)
            guard chain.dropFirst().allSatisfy({ territories[$0]?.geometry == nil || containing[$0] != nil }) else { continue }
            // Depth counts contoured territories only: a contourless one in between must not make a contour win.
            let candidate = (id: id, depth: chain.filter { territories[$0]?.geometry != nil }.count, area: area)
            if let current = best,
                current.depth > candidate.depth
                    || (current.depth == candidate.depth && (current.area < area || (current.area == area && current.id < id)))
            {
                continue
            }
            best = candidate
        }
        return best?.id
    }

    /// The distinct partners of parcels valid on `day` containing the point and covering one of the categories.
    func parcelPartners(containing point: Position, categories: [String], on day: String) -> [String] {
        var partners: [String] = []
        for parcel in parcels where parcel.box.contains(point) {
            if let from = parcel.validFrom, from > day { continue }
            if let to = parcel.validTo, to < day { continue }
            guard parcel.allCategories || categories.contains(where: parcel.categoryIds.contains) else { continue }
            guard let geometry = GeometryCache.shared.geometry(id: parcel.id, json: parcel.geometry), geometry.contains(point) else { continue }
            if !partners.contains(parcel.partnerId) { partners.append(parcel.partnerId) }
        }
        return partners.sorted()
    }

    /// Partners of `kind` on the territory or, failing that, the nearest territory above it that has some.
    func partners(ofKind kind: String, around territoryId: String) -> [String]? {
        for territory in territoryChain(territoryId) {
            let partners = (partnersByTerritory[territory] ?? []).filter { $0.kind == kind }.map(\.id)
            if !partners.isEmpty { return Array(Set(partners)).sorted() }
        }
        return nil
    }
}
