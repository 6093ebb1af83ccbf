/// A kind of dysfunction residents and partners report (tree), with its default commitment.
public struct Category: Sendable, Equatable {
    public var id: String
    public var code: String
    public var label: String
    public var parentId: String?
    public var commitment: Commitment?
    public var residentFileable: Bool
    /// Who handles it where no land parcel says otherwise (routing); nil sends it to arbitration.
    public var defaultPartnerKind: PartnerKind? = nil
    public var version: Int
    public var createdAt: Int64
    public var updatedAt: Int64
}

public struct NewCategory: Sendable {
    public var code: String
    public var label: String
    public var parentId: String?
    public var commitment: Commitment?
    public var residentFileable: Bool
    public var defaultPartnerKind: PartnerKind?

    public init(
        code: String, label: String, parentId: String?, commitment: Commitment?, residentFileable: Bool,
        defaultPartnerKind: PartnerKind? = nil
    ) {
        self.defaultPartnerKind = defaultPartnerKind
        self.code = code
        self.label = label
        self.parentId = parentId
        self.commitment = commitment
        self.residentFileable = residentFileable
    }
}

/// A change to a category. `nil` leaves a field as it is; `.some(nil)` clears an optional one.
public struct CategoryChanges: Sendable {
    public var label: String?
    public var parentId: String??
    public var commitment: Commitment??
    public var residentFileable: Bool?
    public var defaultPartnerKind: PartnerKind??

    public init(
        label: String? = nil, parentId: String?? = nil, commitment: Commitment?? = nil, residentFileable: Bool? = nil,
        defaultPartnerKind: PartnerKind?? = nil
    ) {
        self.defaultPartnerKind = defaultPartnerKind
        self.label = label
        self.parentId = parentId
        self.commitment = commitment
        self.residentFileable = residentFileable
    }

    var changedFields: [String] {
        [
            ("label", label != nil), ("parent_id", parentId != nil), ("commitment", commitment != nil),
            ("resident_fileable", residentFileable != nil), ("default_partner_kind", defaultPartnerKind != nil),
        ].filter(\.1).map(\.0)
    }
}
