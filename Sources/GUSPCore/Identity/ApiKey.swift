/// A partner system's credential (role `partner_system`), described without its secret.
public struct ApiKey: Sendable, Equatable {
    public var id: String
    public var partnerId: String
    public var name: String
    public var prefix: String
    public var createdAt: Int64
    public var expiresAt: Int64
    public var revokedAt: Int64?
    public var lastUsedAt: Int64?
}

/// A credential just made: the only moment its secret is known.
public struct IssuedToken<Record: Sendable>: Sendable {
    public var record: Record
    public var secret: String
}

/// A personal token as its holder sees it.
public struct PersonalToken: Sendable, Equatable {
    public var id: String
    public var userId: String
    public var expiresAt: Int64
}
