import SQLKit

/// The names a compte-rendu shows instead of ids.
public struct WalkReportLabels: Sendable, Equatable {
    public var territory: String
    public var grid: String
    /// Partner id → name.
    public var partners: [String: String]
    /// Category id → label.
    public var categories: [String: String]
    /// Category code (an observation's theme when it names a category) → label.
    public var categoryCodes: [String: String] = [:]
    /// Grid item code → its question or label.
    public var gridItems: [String: String]

    public init(
        territory: String, grid: String, partners: [String: String] = [:], categories: [String: String] = [:],
        gridItems: [String: String] = [:]
    ) {
        self.territory = territory
        self.grid = grid
        self.partners = partners
        self.categories = categories
        self.gridItems = gridItems
    }

    public func partner(_ id: String?) -> String? { id.map { partners[$0] ?? $0 } }
}

extension Store {
    static func reportLabels(
        _ walk: Walk, _ observations: [Observation], _ followUps: [FollowUp], _ db: any SQLDatabase
    ) async throws
        -> WalkReportLabels
    {
        let territory =
            try await db.select().column("label").from("territories").where("id", .equal, walk.territoryId).first()?
            .decode(column: "label", as: String.self) ?? walk.territoryId
        let partnerIds = Set([walk.organiserPartnerId] + walk.invitedPartnerIds + walk.presentPartnerIds + followUps.compactMap(\.partnerId))
        var partners: [String: String] = [:]
        for row in try await db.select().columns("id", "name").from("partners").where("id", .in, Array(partnerIds)).all() {
            partners[try row.decode(column: "id", as: String.self)] = try row.decode(column: "name", as: String.self)
        }
        var categories: [String: String] = [:]
        var codes: [String: String] = [:]
        let categoryIds = Set(observations.compactMap(\.categoryId))
        if !categoryIds.isEmpty {
            for row in try await db.select().columns("id", "code", "label").from("categories").where("id", .in, Array(categoryIds)).all() {
                let label = try row.decode(column: "label", as: String.self)
                categories[try row.decode(column: "id", as: String.self)] = label
                codes[try row.decode(column: "code", as: String.self)] = label
            }
        }
        let grid = try await loadGrids([walk.gridId], db).first
        var labels = WalkReportLabels(
            territory: territory, grid: grid?.label ?? walk.gridId, partners: partners, categories: categories,
            gridItems: Dictionary((grid?.items ?? []).map { ($0.code, $0.label) }, uniquingKeysWith: { first, _ in first }))
        labels.categoryCodes = codes
        return labels
    }
}
