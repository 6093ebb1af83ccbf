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

    static func loadUser(_ id: String, _ db: any SQLDatabase, forUpdate: Bool = false) async throws -> User? {
        let query = db.select().columns(userColumns.map { SQLColumn($0) }).from("users").where("id", .equal, id)
        if forUpdate { query.for(.update) }
        guard let row = try await query.first(decoding: UserRow.self, keyDecodingStrategy: .convertFromSnakeCase) else { return nil }
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
        try await TerritoryLinks.users.load(userIds, db)
    }

    static func insertUser(_ user: User, passwordHash: String?, _ db: any SQLDatabase) async throws {
        try await db.insertUnique(
            db.insert(into: "users")
                .columns(
                    "id", "email", "email_normalized", "display_name", "password_hash", "role", "partner_id",
                    "version", "created_at", "updated_at"
                )
                .values(
                    SQLBind(user.id), SQLBind(user.email), SQLBind(EmailAddress.normalized(user.email)),
                    SQLBind(user.displayName), SQLBind(passwordHash), SQLBind(user.role.rawValue),
                    SQLBind(user.partnerId), SQLBind(user.version), SQLBind(user.createdAt), SQLBind(user.updatedAt)),
            whenDuplicate: "an account with this email already exists")
        try await TerritoryLinks.users.replace(user.id, with: user.territoryIds, db)
    }

    static func checkReferences(partnerId: String?, territoryIds: [String], _ db: any SQLDatabase) async throws {
        if let partnerId, try await loadPartner(partnerId, db) == nil {
            throw ValidationFailure(field: "partner_id", message: "is not a known partner")
        }
        try await requireKnownTerritories(territoryIds, db)
    }

    /// A partner's referent must be one of its users: when a user leaves a partner (or is deleted), the
    /// partner loses its referent, with a new version and an event.
    static func dropReferent(
        _ userId: String, keeping partnerId: String?, by actor: Actor, at now: Int64,
        _ db: any SQLDatabase
    ) async throws {
        let query = db.select().column("id").from("partners").where("referent_user_id", .equal, userId)
        if let partnerId { query.where("id", .notEqual, partnerId) }
        for row in try await query.all() {
            let partner = try row.decode(column: "id", as: String.self)
            try await db.update("partners").set("referent_user_id", to: String?.none)
                .set(SQLIdentifier("version"), to: SQLRaw("version + 1")).set("updated_at", to: now)
                .where("id", .equal, partner).run()
            try await EventLog.append(db, .partner, partner, "updated", actor: actor, changes: ["referent_user_id"], at: now)
        }
    }

    /// People changing their own email or password confirm it with the password they have now.
    func requireCurrentPassword(_ password: String?, of userId: String) async throws {
        guard let password else {
            throw ValidationFailure(field: "current_password", message: "is required to change your own email or password")
        }
        let stored = try await database.read { db in
            try await db.select().column("password_hash").from("users").where("id", .equal, userId).first()?
                .decode(column: "password_hash", as: String?.self)
        }
        guard try await passwords.verify(password, against: stored, for: .other) else {
            throw ValidationFailure(field: "current_password", message: "is not your current password")
        }
    }

    /// The actor may give this role, and (unless they reach everything) only territories they hold.
    static func requireAssignable(_ role: Role, territories: [String], by actor: Actor) throws(DomainError) {
        guard Permissions.assignableRoles[actor.role]?.contains(role) == true else {
            throw .forbidden("your role (\(actor.role.rawValue)) may not manage \(role.rawValue) accounts")
        }
        if !Permissions.reachesAll(actor, .updateUser),
            !Set(territories).isSubset(of: actor.territoryIds)
        {
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
