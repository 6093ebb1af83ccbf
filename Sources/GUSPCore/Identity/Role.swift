/// Who a token speaks for. People have the first five; partner IT systems use API keys.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    case admin
    case coordinator
    case elected
    case technician
    case resident
    case partnerSystem = "partner_system"

    /// Roles a person (a user row) may have.
    public static let userRoles: [Role] = [.admin, .coordinator, .elected, .technician, .resident]

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The authenticated caller of one request.
public struct Actor: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case user, partnerSystem = "partner_system" }

    public var kind: Kind
    /// The user id, or the API key id for a partner system.
    public var id: String
    public var role: Role
    public var partnerId: String?
    /// The territories the actor is bound to, with all their descendants.
    public var territoryIds: Set<String>
    public var tokenId: String
    public var tokenExpiresAt: Int64

    public init(
        kind: Kind, id: String, role: Role, partnerId: String?, territoryIds: Set<String>,
        tokenId: String, tokenExpiresAt: Int64
    ) {
        self.kind = kind
        self.id = id
        self.role = role
        self.partnerId = partnerId
        self.territoryIds = territoryIds
        self.tokenId = tokenId
        self.tokenExpiresAt = tokenExpiresAt
    }
}
