import Foundation
import SQLKit

extension Store {
    /// The account with this email (case-insensitive), for operators' commands; no permission check.
    public func user(email: String) async throws -> User? {
        try await database.read { db in
            let row = try await db.select().column("id").from("users")
                .where("email_normalized", .equal, EmailAddress.normalized(email)).first()
            guard let id = try row?.decode(column: "id", as: String.self) else { return nil }
            return try await Self.loadUser(id, db)
        }
    }

    static func loadUser(_ id: String, _ db: any SQLDatabase) async throws -> User? {
        guard let row = try await db.select().columns(userColumns.map { SQLColumn($0) }).from("users").where("id", .equal, id)
            .first(decoding: UserRow.self, keyDecodingStrategy: .convertFromSnakeCase) else { return nil }
        return row.user(territories: try await userTerritories([id], db)[id] ?? [])
    }

    /// A user's scope: themselves, their partner, their territories and their partner's territories.
    static func userScope(_ user: User, _ db: any SQLDatabase) async throws -> ResourceScope {
        var scope = user.scope
        if let partner = user.partnerId {
            scope.territoryIds.formUnion(try await partnerTerritories([partner], db)[partner] ?? [])
        }
        return scope
    }

    static func userTerritories(_ userIds: [String], _ db: any SQLDatabase) async throws -> [String: [String]] {
        guard !userIds.isEmpty else { return [:] }
        let rows = try await db.select().columns("user_id", "territory_id").from("user_territories")
            .where("user_id", .in, userIds).orderBy("territory_id").all()
        var result: [String: [String]] = [:]
        for row in rows {
            result[try row.decode(column: "user_id", as: String.self), default: []]
                .append(try row.decode(column: "territory_id", as: String.self))
        }
        return result
    }

    static func insertUser(_ user: User, passwordHash: String?, _ db: any SQLDatabase) async throws {
        do {
            try await db.insert(into: "users")
                .columns("id", "email", "email_normalized", "display_name", "password_hash", "role", "partner_id",
                         "version", "created_at", "updated_at")
                .values(SQLBind(user.id), SQLBind(user.email), SQLBind(EmailAddress.normalized(user.email)),
                        SQLBind(user.displayName), SQLBind(passwordHash), SQLBind(user.role.rawValue),
                        SQLBind(user.partnerId), SQLBind(user.version), SQLBind(user.createdAt), SQLBind(user.updatedAt))
                .run()
        } catch where DatabaseFailure.isUniqueViolation(error) {
            throw DomainError.conflict("an account with this email already exists")
        }
        try await setUserTerritories(user.id, user.territoryIds, db)
    }

    static func setUserTerritories(_ id: String, _ territories: [String], _ db: any SQLDatabase) async throws {
        try await db.delete(from: "user_territories").where("user_id", .equal, id).run()
        for territory in territories {
            try await db.insert(into: "user_territories").columns("user_id", "territory_id")
                .values(SQLBind(id), SQLBind(territory)).run()
        }
    }

    static func checkReferences(partnerId: String?, territoryIds: [String], _ db: any SQLDatabase) async throws {
        if let partnerId, try await loadPartner(partnerId, db) == nil {
            throw ValidationFailure(field: "partner_id", message: "is not a known partner")
        }
        try await requireKnownTerritories(territoryIds, db)
    }

    /// The actor may give this role, and (unless they reach everything) only territories they hold.
    static func requireAssignable(_ role: Role, territories: [String], by actor: Actor) throws(DomainError) {
        guard Permissions.assignableRoles[actor.role]?.contains(role) == true else {
            throw .forbidden("your role (\(actor.role.rawValue)) may not manage \(role.rawValue) accounts")
        }
        if !Permissions.reach(actor.role, .updateUser).contains(.all),
           !Set(territories).isSubset(of: actor.territoryIds) {
            throw .forbidden("you may only give territories you hold yourself")
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
