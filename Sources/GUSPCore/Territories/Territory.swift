/// A QPV, a commune or a sector; optionally with its contour.
public struct Territory: Sendable, Equatable {
    public var id: String
    public var kind: TerritoryKind
    public var code: String
    public var label: String
    public var parentId: String?
    /// GeoJSON text of a Polygon or MultiPolygon, when known.
    public var geometry: String?
    public var version: Int
    public var createdAt: Int64
    public var updatedAt: Int64
}

public struct NewTerritory: Sendable {
    public var kind: TerritoryKind
    public var code: String
    public var label: String
    public var parentId: String?
    /// The geometry as the client sent it (JSON), validated on creation.
    public var geometryJSON: [UInt8]?

    public init(kind: TerritoryKind, code: String, label: String, parentId: String? = nil, geometryJSON: [UInt8]? = nil) {
        self.kind = kind
        self.code = code
        self.label = label
        self.parentId = parentId
        self.geometryJSON = geometryJSON
    }
}

/// A change to a territory. `nil` leaves a field as it is; `.some(nil)` clears an optional one.
public struct TerritoryChanges: Sendable {
    public var label: String?
    public var parentId: String??
    public var geometryJSON: [UInt8]??

    public init(label: String? = nil, parentId: String?? = nil, geometryJSON: [UInt8]?? = nil) {
        self.label = label
        self.parentId = parentId
        self.geometryJSON = geometryJSON
    }

    var changedFields: [String] {
        [("label", label != nil), ("parent_id", parentId != nil), ("geometry", geometryJSON != nil)].filter(\.1).map(\.0)
    }
}

extension Territory {
    /// Whom a territory belongs to, for permissions: itself (the actor's set includes descendants).
    var scope: ResourceScope { ResourceScope(territoryIds: [id]) }

    public static let maximumVertices = 100_000
}
