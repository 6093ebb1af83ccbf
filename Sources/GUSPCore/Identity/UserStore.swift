import Foundation
import GUSPDatabase
import SQLKit

struct UserRow: Decodable {
    var id: String, email: String, displayName: String?, role: String, partnerId: String?
    var version: Int, createdAt: Int64, updatedAt: Int64

    func user(territories: [String]) -> User {
        User(
            id: id, email: email, displayName: displayName, role: Role(rawValue: role) ?? .resident, partnerId: partnerId,
            territoryIds: territories, version: version, createdAt: createdAt, updatedAt: updatedAt)
    }
}

public struct UserFilter: Sendable {
    public var role: Role?
    public var partnerId: String?
    /// Only rows created or changed at or after this time.
    public var updatedSince: Date?
    public init(role: Role? = nil, partnerId: String? = nil, updatedSince: Date? = nil) {
        self.updatedSince = updatedSince
        self.role = role
        self.partnerId = partnerId
    }
}

extension Store {
    static let userColumns = ["id", "email", "display_name", "role", "partner_id", "version", "created_at", "updated_at"]

    public func users(_ filter: UserFilter, page: PageRequest, by actor: Actor) async throws -> Page<User> {
        try Permissions.requireRole(actor, .readUser)
        let reach = Permissions.reach(actor.role, .readUser)
        let users = try await database.read { db in
            let query = db.select().columns(Self.userColumns.map { SQLColumn($0, table: "users") }).from("users")
            if let role = filter.role { query.where("role", .equal, role.rawValue) }
            if let partner = filter.partnerId { query.where("partner_id", .equal, partner) }
            if !reach.contains(.all) { Self.restrictUsers(query, to: reach, of: actor) }
            let rows = try await query.updated(since: filter.updatedSince, table: "users").paged(page, table: "users")
                .all(decoding: UserRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            let territories = try await Self.userTerritories(rows.map(\.id), db)
            return rows.map { $0.user(territories: territories[$0.id] ?? []) }
        }
        return Page(rows: users, request: page) { PageCursor(createdAt: $0.createdAt, id: $0.id) }
    }

    /// The SQL form of `Reach.covers` for user records, so that lists hold only what may be seen.
    private static func restrictUsers(_ query: SQLSelectBuilder, to reach: Reach, of actor: Actor) {
        let territories = Array(actor.territoryIds)
        query.where { group in
            group.where(SQLLiteral.boolean(false))
            if reach.contains(.oneself) { group.orWhere("id", .equal, actor.id) }
            if reach.contains(.ownPartner), let partner = actor.partnerId { group.orWhere("partner_id", .equal, partner) }
            if reach.contains(.ownTerritories), !territories.isEmpty {
                group.orWhere(
                    "partner_id", .in,
                    SQLGroupExpression(
                        SQLQueryString(
                            "SELECT partner_id FROM partner_territories WHERE territory_id IN (\(binds: territories))")))
                group.orWhere(
                    "id", .in,
                    SQLGroupExpression(
                        SQLQueryString(
                            "SELECT user_id FROM user_territories WHERE territory_id IN (\(binds: territories))")))
            }
            return group
        }
    }

    public func user(_ id: String, by actor: Actor) async throws -> User {
        try Permissions.requireRole(actor, .readUser)
        return try await database.read { db in
            guard let user = try await Self.loadUser(id, db),
                Permissions.allows(actor, .readUser, on: try await Self.userScope(user, db))
            else {
                throw DomainError.notFound("user not found")
            }
            return user
        }
    }

    public func createUser(_ new: NewUser, by actor: Actor) async throws -> User {
        try Permissions.requireRole(actor, .createUser)
        var check = Validator()
        UserRules.checkProfile(email: new.email, displayName: new.displayName, password: new.password, into: &check)
        UserRules.checkBindings(role: new.role, partnerId: new.partnerId, territoryIds: new.territoryIds, into: &check)
        try check.throwIfFailed()
        try Self.requireAssignable(new.role, territories: new.territoryIds, by: actor)
        // An elected official signs in their partner's name: whoever chose their first password could sign
        // as them. Only admins give one; a coordinator gives a first password to a technician only.
        if new.password != nil, actor.role != .admin, new.role != .technician {
            throw DomainError.forbidden("only admins give a first password to a \(new.role.rawValue) account")
        }
        let passwordHash = try await new.password.asyncMap { try await passwords.hash($0) }
        let now = nowMilliseconds
        let user = User(
            id: Identifier.make("usr"), email: new.email.trimmingWhitespace,
            displayName: new.displayName?.trimmingWhitespace, role: new.role, partnerId: new.partnerId,
            territoryIds: new.territoryIds, version: 1, createdAt: now, updatedAt: now)
        return try await writeReference { db in
            try await Self.checkReferences(partnerId: new.partnerId, territoryIds: new.territoryIds, db)
            if !Permissions.allows(actor, .createUser, on: try await Self.userScope(user, db)) {
                throw DomainError.forbidden("a coordinator creates users of partners in their own territories")
            }
            try await Self.insertUser(user, passwordHash: passwordHash, db)
            try await EventLog.append(db, .user, user.id, "created", actor: actor, at: now)
            return user
        }
    }

    /// A resident creates their own account.
    public func registerResident(email: String, password: String, displayName: String?) async throws -> User {
        var check = Validator()
        check.check(!email.isEmpty, "email", "is required")
        UserRules.checkProfile(email: email, displayName: displayName, password: password, into: &check)
        try check.throwIfFailed()
        let passwordHash = try await passwords.hash(password)
        let now = nowMilliseconds
        let user = User(
            id: Identifier.make("usr"), email: email.trimmingWhitespace, displayName: displayName?.trimmingWhitespace,
            role: .resident, partnerId: nil, territoryIds: [], version: 1, createdAt: now, updatedAt: now)
        return try await writeReference { db in
            try await Self.insertUser(user, passwordHash: passwordHash, db)
            try await EventLog.append(db, .user, user.id, "registered", actor: nil, at: now)
            return user
        }
    }

    public func updateUser(_ id: String, _ changes: UserChanges, ifVersion: Int?, by actor: Actor) async throws -> User {
        try Permissions.requireRole(actor, changes.touchesAccess ? .updateUser : .updateUserProfile)
        var check = Validator()
        UserRules.checkProfile(email: changes.email, displayName: changes.displayName, password: changes.password, into: &check)
        try check.throwIfFailed()
        if id == actor.id, actor.kind == .user, changes.password != nil || changes.email != nil {
            try await requireCurrentPassword(changes.currentPassword, of: id)
        }
        // A password is its holder's: whoever else sets it could log in as them (and sign in their partner's
        // name). Only the holder, or an admin, sets one.
        if changes.password != nil, !(id == actor.id && actor.kind == .user), actor.role != .admin {
            throw DomainError.forbidden("only the account's holder or an admin sets its password")
        }
        let passwordHash = try await changes.password.asyncMap { try await passwords.hash($0) }
        let now = nowMilliseconds
        return try await writeReference { db in
            guard var user = try await Self.loadUser(id, db, forUpdate: true) else { throw DomainError.notFound("user not found") }
            let before = user
            let operation: Operation = changes.touchesAccess ? .updateUser : .updateUserProfile
            try Permissions.require(actor, operation, on: try await Self.userScope(user, db), visibility: .readUser, resource: "user")
            if let expected = ifVersion, expected != user.version { throw DomainError.versionMismatch(current: user.version) }
            // Only accounts of a role the actor may give are theirs to change (besides their own profile).
            if user.id != actor.id || changes.touchesAccess { try Self.requireAssignable(user.role, territories: [], by: actor) }
            if let email = changes.email { user.email = email.trimmingWhitespace }
            if let name = changes.displayName { user.displayName = name?.trimmingWhitespace }
            if let role = changes.role { user.role = role }
            if let partner = changes.partnerId { user.partnerId = partner }
            if let territories = changes.territoryIds { user.territoryIds = territories }
            if changes.touchesAccess {
                var bindings = Validator()
                UserRules.checkBindings(role: user.role, partnerId: user.partnerId, territoryIds: user.territoryIds, into: &bindings)
                try bindings.throwIfFailed()
                try Self.requireAssignable(user.role, territories: changes.territoryIds ?? [], by: actor)
                try await Self.checkReferences(partnerId: user.partnerId, territoryIds: user.territoryIds, db)
                if !Permissions.allows(actor, .updateUser, on: try await Self.userScope(user, db)) {
                    throw DomainError.forbidden("a coordinator keeps users in their own territories")
                }
            }
            user.version += 1
            user.updatedAt = now
            let update = db.update("users")
                .set("email", to: user.email).set("email_normalized", to: EmailAddress.normalized(user.email))
                .set("display_name", to: user.displayName).set("role", to: user.role.rawValue)
                .set("partner_id", to: user.partnerId).set("version", to: user.version).set("updated_at", to: now)
            if let passwordHash { update.set("password_hash", to: passwordHash) }
            do {
                try await update.where("id", .equal, id).run()
            } catch  where DatabaseFailure.isUniqueViolation(error) {
                throw DomainError.conflict("another account uses this email")
            }
            if changes.territoryIds != nil { try await TerritoryLinks.users.replace(id, with: user.territoryIds, db) }
            if changes.partnerId != nil { try await Self.dropReferent(id, keeping: user.partnerId, by: actor, at: now, db) }
            if passwordHash != nil {
                // A new password ends every other session of the account (a stolen token dies with the old password).
                try await db.update("access_tokens").set("revoked_at", to: now)
                    .where("user_id", .equal, id).where("revoked_at", .is, SQLLiteral.null)
                    .where("id", .notEqual, actor.tokenId).run()
            }
            try await EventLog.append(db, .user, id, "updated", actor: actor, changes: changes.changedFields, at: now)
            try await Self.logAccessChanges(from: before, to: user, passwordChanged: passwordHash != nil, by: actor, at: now, db)
            return user
        }
    }

    public func deleteUser(_ id: String, by actor: Actor) async throws {
        try Permissions.requireRole(actor, .deleteUser)
        let now = nowMilliseconds
        try await writeReference { db in
            guard let user = try await Self.loadUser(id, db, forUpdate: true) else { throw DomainError.notFound("user not found") }
            try Permissions.require(actor, .deleteUser, on: try await Self.userScope(user, db), visibility: .readUser, resource: "user")
            if user.id == actor.id { throw DomainError.conflict("you cannot delete your own account") }
            try Self.requireAssignable(user.role, territories: [], by: actor)
            try await Self.dropReferent(id, keeping: nil, by: actor, at: now, db)
            try await db.delete(from: "users").where("id", .equal, id).run()
            try await SecurityLog.append(db, .userDeleted, actorId: actor.id, userId: id, detail: "role \(user.role.rawValue)", at: now)
            try await EventLog.append(db, .user, id, "deleted", actor: actor, at: now)
        }
    }

    /// The security log's entries for a change of password, role, territories or partner.
    static func logAccessChanges(
        from before: User, to after: User, passwordChanged: Bool, by actor: Actor, at now: Int64, _ db: any SQLDatabase
    ) async throws {
        if passwordChanged {
            try await SecurityLog.append(
                db, .passwordChanged, actorId: actor.id, userId: after.id, detail: actor.id == after.id ? "by the holder" : "by an admin", at: now)
        }
        if before.role != after.role {
            try await SecurityLog.append(
                db, .roleChanged, actorId: actor.id, userId: after.id, detail: "\(before.role.rawValue) → \(after.role.rawValue)", at: now)
        }
        if Set(before.territoryIds) != Set(after.territoryIds) {
            let detail = "\(before.territoryIds.sorted().joined(separator: ", ")) → \(after.territoryIds.sorted().joined(separator: ", "))"
            try await SecurityLog.append(db, .territoriesChanged, actorId: actor.id, userId: after.id, detail: detail, at: now)
        }
        if before.partnerId != after.partnerId {
            try await SecurityLog.append(
                db, .partnerChanged, actorId: actor.id, userId: after.id, detail: "\(before.partnerId ?? "none") → \(after.partnerId ?? "none")",
                at: now)
        }
    }
}
