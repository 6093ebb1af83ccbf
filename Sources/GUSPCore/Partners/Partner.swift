/// The kinds of organisations in a GUSP partnership.
public enum PartnerKind: String, Sendable, Codable, CaseIterable {
    case ville, epci, bailleur, etat, association
    case centreSocial = "centre_social"
    case copropriete, other
}

/// An organisation: the city, the intercommunality, a social landlord, the State, an association…
public struct Partner: Sendable, Equatable {
    public var id: String
    public var kind: PartnerKind
    public var name: String
    public var siren: String?
    public var territoryIds: [String]
    public var referentUserId: String?
    public var contactEmail: String?
    public var contactPhone: String?
    public var version: Int
    public var createdAt: Int64
    public var updatedAt: Int64

    var scope: ResourceScope { ResourceScope(partnerIds: [id], territoryIds: Set(territoryIds)) }
}

public struct NewPartner: Sendable {
    public var kind: PartnerKind
    public var name: String
    public var siren: String?
    public var territoryIds: [String]
    public var contactEmail: String?
    public var contactPhone: String?

    public init(
        kind: PartnerKind, name: String, siren: String? = nil, territoryIds: [String] = [],
        contactEmail: String? = nil, contactPhone: String? = nil
    ) {
        self.kind = kind
        self.name = name
        self.siren = siren
        self.territoryIds = territoryIds
        self.contactEmail = contactEmail
        self.contactPhone = contactPhone
    }
}

/// A change to a partner. `nil` leaves a field as it is; `.some(nil)` clears an optional one.
public struct PartnerChanges: Sendable {
    public var kind: PartnerKind?
    public var name: String?
    public var siren: String??
    public var territoryIds: [String]?
    public var referentUserId: String??
    public var contactEmail: String??
    public var contactPhone: String??

    public init(
        kind: PartnerKind? = nil, name: String? = nil, siren: String?? = nil, territoryIds: [String]? = nil,
        referentUserId: String?? = nil, contactEmail: String?? = nil, contactPhone: String?? = nil
    ) {
        self.kind = kind
        self.name = name
        self.siren = siren
        self.territoryIds = territoryIds
        self.referentUserId = referentUserId
        self.contactEmail = contactEmail
        self.contactPhone = contactPhone
    }

    var changedFields: [String] {
        [
            ("kind", kind != nil), ("name", name != nil), ("siren", siren != nil), ("territory_ids", territoryIds != nil),
            ("referent_user_id", referentUserId != nil), ("contact_email", contactEmail != nil),
            ("contact_phone", contactPhone != nil),
        ].filter(\.1).map(\.0)
    }
}

enum PartnerRules {
    static func check(
        name: String?, siren: String??, territoryIds: [String]?, contactEmail: String??,
        contactPhone: String??
    ) throws(ValidationFailure) {
        var check = Validator()
        if let name { check.text(name, "name", maxLength: 200) }
        if let siren = siren ?? nil, !SIREN.isValid(siren) {
            check.fail("siren", "must be 9 digits passing the Luhn check")
        }
        if let ids = territoryIds {
            check.check(ids.count <= 200, "territory_ids", "must list at most 200 territories")
            check.check(Set(ids).count == ids.count, "territory_ids", "must not repeat a territory")
        }
        if let email = contactEmail ?? nil, let problem = EmailAddress.problem(with: email) {
            check.fail("contact_email", problem)
        }
        if let phone = contactPhone ?? nil, let problem = PhoneNumber.problem(with: phone) {
            check.fail("contact_phone", problem)
        }
        try check.throwIfFailed()
    }
}
