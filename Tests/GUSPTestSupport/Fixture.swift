import Foundation
import GUSPCore

/// Two separate corners of a deployment, A and B, each with a commune, a QPV inside it, a
/// partner, and one account per role bound to A (plus a few bound to B), with their tokens.
public struct Fixture: Sendable {
    public let store: Store
    public let communeA: Territory, qpvA: Territory, communeB: Territory
    public let partnerA: Partner, partnerB: Partner
    /// One account per person role, all bound to side A.
    public let users: [Role: User]
    /// A bearer token per role (partner_system: an API key of partner A).
    public let tokens: [Role: String]
    public let technicianB: User, coordinatorB: User
    public let password = "correct horse battery"

    public static let root = Actor(
        kind: .user, id: "test-root", role: .admin, partnerId: nil, territoryIds: [],
        tokenId: "test-root", tokenExpiresAt: .max)

    public static func make(_ store: Store) async throws -> Fixture {
        let root = Self.root
        let communeA = try await store.createTerritory(NewTerritory(kind: .commune, code: "26362", label: "Valence"), by: root)
        let qpvA = try await store.createTerritory(
            NewTerritory(kind: .qpv, code: "QN02607M", label: "Les Hauts de Valence", parentId: communeA.id), by: root)
        let communeB = try await store.createTerritory(NewTerritory(kind: .commune, code: "35238", label: "Rennes"), by: root)
        let partnerA = try await store.createPartner(NewPartner(kind: .bailleur, name: "Valence Romans Habitat", territoryIds: [qpvA.id]), by: root)
        let partnerB = try await store.createPartner(NewPartner(kind: .bailleur, name: "Archipel Habitat", territoryIds: [communeB.id]), by: root)
        let password = "correct horse battery"
        func person(_ role: Role, _ email: String, partner: String? = nil, territories: [String] = []) async throws -> User {
            try await store.createUser(
                NewUser(
                    email: email, displayName: email, password: password, role: role,
                    partnerId: partner, territoryIds: territories), by: root)
        }
        let users: [Role: User] = [
            .admin: try await person(.admin, "admin@a.test"),
            .coordinator: try await person(.coordinator, "coordinator@a.test", territories: [communeA.id]),
            .elected: try await person(.elected, "elected@a.test", territories: [communeA.id]),
            .technician: try await person(.technician, "technician@a.test", partner: partnerA.id),
            .resident: try await person(.resident, "resident@a.test"),
        ]
        var tokens: [Role: String] = [:]
        for (role, user) in users {
            tokens[role] = try await store.issuePersonalToken(userId: user.id, name: "test", lifetime: 3600, createdBy: nil).secret
        }
        tokens[.partnerSystem] = try await store.createApiKey(partnerId: partnerA.id, name: "back office", expiresAt: nil, by: root).secret
        return Fixture(
            store: store, communeA: communeA, qpvA: qpvA, communeB: communeB, partnerA: partnerA, partnerB: partnerB,
            users: users, tokens: tokens,
            technicianB: try await person(.technician, "technician@b.test", partner: partnerB.id),
            coordinatorB: try await person(.coordinator, "coordinator@b.test", territories: [communeB.id]))
    }

    /// The actor a role's token authenticates as.
    public func actor(_ role: Role) async throws -> Actor {
        try await store.authenticate(bearer: tokens[role]!)
    }

    /// The actor of any user, through a fresh personal token (an hour long).
    public func actor(of user: User) async throws -> Actor {
        try await store.authenticate(
            bearer: try await store.issuePersonalToken(
                userId: user.id, name: "test", lifetime: 3_600,
                createdBy: nil
            ).secret)
    }
}
