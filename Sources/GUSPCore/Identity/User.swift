/// A person with an account: staff of a partner, an elected official, a coordinator, a resident.
public struct User: Sendable, Equatable {
    public var id: String
    public var email: String
    public var displayName: String?
    public var role: Role
    public var partnerId: String?
    public var territoryIds: [String]
    public var version: Int
    public var createdAt: Int64
    public var updatedAt: Int64

    /// For permissions: the user, their partner, and the territories they are bound to.
    var scope: ResourceScope {
        ResourceScope(partnerIds: Set([partnerId].compactMap { $0 }), territoryIds: Set(territoryIds), userId: id)
    }
}

public struct NewUser: Sendable {
    public var email: String
    public var displayName: String?
    public var password: String?
    public var role: Role
    public var partnerId: String?
    public var territoryIds: [String]

    public init(
        email: String, displayName: String? = nil, password: String? = nil, role: Role,
        partnerId: String? = nil, territoryIds: [String] = []
    ) {
        self.email = email
        self.displayName = displayName
        self.password = password
        self.role = role
        self.partnerId = partnerId
        self.territoryIds = territoryIds
    }
}

/// A change to a user. `nil` leaves a field as it is; `.some(nil)` clears an optional one.
public struct UserChanges: Sendable {
    public var email: String?
    public var displayName: String??
    public var password: String?
    public var role: Role?
    public var partnerId: String??
    public var territoryIds: [String]?
    /// Required when people change their own email or password.
    public var currentPassword: String?

    public init(
        email: String? = nil, displayName: String?? = nil, password: String? = nil, role: Role? = nil,
        partnerId: String?? = nil, territoryIds: [String]? = nil, currentPassword: String? = nil
    ) {
        self.currentPassword = currentPassword
        self.email = email
        self.displayName = displayName
        self.password = password
        self.role = role
        self.partnerId = partnerId
        self.territoryIds = territoryIds
    }

    /// Whether the change touches what a user may do (role, partner, territories), not only their profile.
    var touchesAccess: Bool { role != nil || partnerId != nil || territoryIds != nil }

    var changedFields: [String] {
        [
            ("email", email != nil), ("display_name", displayName != nil), ("password", password != nil),
            ("role", role != nil), ("partner_id", partnerId != nil), ("territory_ids", territoryIds != nil),
        ]
        .filter(\.1).map(\.0)
    }
}

enum UserRules {
    /// What each role must and must not be bound to.
    static func checkBindings(role: Role, partnerId: String?, territoryIds: [String], into check: inout Validator) {
        switch role {
        case .partnerSystem:
            check.fail("role", "partner systems use API keys, not user accounts")
        case .technician:
            check.check(partnerId != nil, "partner_id", "is required for a technician")
        case .coordinator, .elected:
            check.check(!territoryIds.isEmpty, "territory_ids", "must name at least one territory for a \(role.rawValue)")
        case .resident:
            check.check(partnerId == nil, "partner_id", "must be empty for a resident")
            check.check(territoryIds.isEmpty, "territory_ids", "must be empty for a resident")
        case .admin:
            break
        }
        check.check(territoryIds.count <= 200, "territory_ids", "must list at most 200 territories")
        check.check(Set(territoryIds).count == territoryIds.count, "territory_ids", "must not repeat a territory")
    }

    static func checkProfile(email: String?, displayName: String??, password: String?, into check: inout Validator) {
        if let email, let problem = EmailAddress.problem(with: email.trimmingWhitespace) { check.fail("email", problem) }
        if let name = displayName ?? nil { check.text(name, "display_name", maxLength: 100) }
        if let password, let problem = PasswordHasher.problem(with: password) { check.fail("password", problem) }
    }
}
