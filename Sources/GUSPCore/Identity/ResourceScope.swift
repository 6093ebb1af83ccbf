/// What a resource is attached to, for deciding who may reach it.
public struct ResourceScope: Sendable, Equatable {
    public var partnerIds: Set<String>
    public var territoryIds: Set<String>
    /// The user the resource is (for user records).
    public var userId: String?

    public init(partnerIds: Set<String> = [], territoryIds: Set<String> = [], userId: String? = nil) {
        self.partnerIds = partnerIds
        self.territoryIds = territoryIds
        self.userId = userId
    }

    /// A resource everyone may reach whose role allows the operation at all.
    public static let global = ResourceScope()
}

/// How far a role's permission for one operation extends.
public struct Reach: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Any resource of that type.
    public static let all = Reach(rawValue: 1)
    /// Resources attached to the actor's partner.
    public static let ownPartner = Reach(rawValue: 2)
    /// Resources attached to one of the actor's territories (descendants included).
    public static let ownTerritories = Reach(rawValue: 4)
    /// The actor's own user record.
    public static let oneself = Reach(rawValue: 8)

    public static let none: Reach = []

    /// Whether `actor` reaches a resource with `scope`. To read, a resource need only touch one of the
    /// actor's territories; to change it, all of its territories must be the actor's, so that a partner
    /// or a person shared with other territories stays in the hands of those who hold them all.
    public func covers(_ scope: ResourceScope, for actor: Actor, writing: Bool = false) -> Bool {
        if contains(.all) { return true }
        if contains(.ownPartner), let partner = actor.partnerId, scope.partnerIds.contains(partner) { return true }
        if contains(.ownTerritories), !scope.territoryIds.isEmpty {
            if writing ? scope.territoryIds.isSubset(of: actor.territoryIds) : !scope.territoryIds.isDisjoint(with: actor.territoryIds) {
                return true
            }
        }
        if contains(.oneself), actor.kind == .user, scope.userId == actor.id { return true }
        return false
    }

    /// The words used in the README's table.
    public var label: String {
        if contains(.all) { return "all" }
        var words: [String] = []
        if contains(.ownPartner) { words.append("own partner") }
        if contains(.ownTerritories) { words.append("own territories") }
        if contains(.oneself) { words.append("self") }
        return words.isEmpty ? "—" : words.joined(separator: " + ")
    }
}
