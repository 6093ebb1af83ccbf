import Foundation
import SQLKit

private struct TokenRow: Decodable {
    var id: String, kind: String, userId: String?, partnerId: String?, expiresAt: Int64, revokedAt: Int64?
    var lastUsedAt: Int64?, role: String?, userPartnerId: String?
}

extension Store {
    /// `last_used_at` is written at most this often per token, so reads do not become writes.
    static let lastUsedResolution: Int64 = 60_000

    /// Finds who a bearer token speaks for, or throws why it does not.
    public func authenticate(bearer token: String) async throws -> Actor {
        guard token.hasPrefix(TokenSecret.Kind.personal.rawValue) || token.hasPrefix(TokenSecret.Kind.apiKey.rawValue) else {
            throw AuthenticationFailure("the token is not a gusp token")
        }
        let hash = TokenSecret.hash(token)
        let now = nowMilliseconds
        // Who a token speaks for is kept a few seconds (see `ReferenceCache`): a revocation in this
        // process drops it at once, one in another within a second.
        await seeOtherInstancesChanges()
        if let cached = cache.actor(forTokenHash: hash, at: clock.now()) {
            if cached.actor.tokenExpiresAt <= now { throw AuthenticationFailure("the token has expired") }
            try await noteUse(of: cached.actor.tokenId, hash: hash, lastUsedAt: cached.lastUsedAt, now: now)
            return cached.actor
        }
        let generation = cache.generation
        let (row, territories) = try await database.read { db -> (TokenRow?, Set<String>) in
            let row = try await db.select()
                .columns(
                    SQLColumn("id", table: "t"), SQLColumn("kind", table: "t"), SQLColumn("user_id", table: "t"),
                    SQLColumn("partner_id", table: "t"), SQLColumn("expires_at", table: "t"),
                    SQLColumn("revoked_at", table: "t"), SQLColumn("last_used_at", table: "t"),
                    SQLColumn("role", table: "u")
                )
                .column(SQLColumn("partner_id", table: "u"), as: "user_partner_id")
                .from(SQLAlias(SQLIdentifier("access_tokens"), as: SQLIdentifier("t")))
                .join(
                    SQLAlias(SQLIdentifier("users"), as: SQLIdentifier("u")), method: SQLJoinMethod.left,
                    on: SQLColumn("user_id", table: "t"), .equal, SQLColumn("id", table: "u")
                )
                .where(SQLColumn("token_hash", table: "t"), .equal, SQLBind(hash))
                .first(decoding: TokenRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            guard let row else { return (nil, []) }
            // A person's scope is their own territories; a partner system's, its partner's; both with descendants.
            let links: SQLQueryString =
                if let userId = row.userId {
                    "SELECT territory_id FROM user_territories WHERE user_id = \(bind: userId)"
                } else {
                    "SELECT territory_id FROM partner_territories WHERE partner_id = \(bind: row.partnerId ?? "")"
                }
            let rows = try await db.raw(
                """
                WITH RECURSIVE tree(id) AS (
                  \(links)
                  UNION SELECT child.id FROM territories child JOIN tree ON child.parent_id = tree.id)
                SELECT id FROM tree
                """
            ).all()
            return (row, Set(try rows.map { try $0.decode(column: "id", as: String.self) }))
        }
        guard let row else { throw AuthenticationFailure("the token is unknown") }
        if row.revokedAt != nil { throw AuthenticationFailure("the token was revoked") }
        if row.expiresAt <= now { throw AuthenticationFailure("the token has expired") }
        let actor: Actor
        if row.kind == "api_key", let partner = row.partnerId {
            actor = Actor(
                kind: .partnerSystem, id: row.id, role: .partnerSystem, partnerId: partner,
                territoryIds: territories, tokenId: row.id, tokenExpiresAt: row.expiresAt)
        } else if let userId = row.userId, let role = row.role.flatMap(Role.init(rawValue:)) {
            actor = Actor(
                kind: .user, id: userId, role: role, partnerId: row.userPartnerId, territoryIds: territories,
                tokenId: row.id, tokenExpiresAt: row.expiresAt)
        } else {
            throw AuthenticationFailure("the token is unknown")
        }
        cache.keep(
            ReferenceCache.CachedActor(actor: actor, lastUsedAt: row.lastUsedAt ?? 0, loadedAt: clock.now()),
            forTokenHash: hash, generation: generation)
        try await noteUse(of: row.id, hash: hash, lastUsedAt: row.lastUsedAt ?? 0, now: now)
        return actor
    }

    /// Records when a token was last used, at most once a minute.
    private func noteUse(of tokenId: String, hash: String, lastUsedAt: Int64, now: Int64) async throws {
        guard lastUsedAt + Self.lastUsedResolution <= now else { return }
        cache.noteUse(ofTokenHash: hash, at: now)
        // Bookkeeping only: a failure here must not fail the request.
        try? await database.write { db in
            try await db.update("access_tokens").set("last_used_at", to: now).where("id", .equal, tokenId).run()
        }
    }

    /// Email and password for a new personal token.
    public func logIn(email: String, password: String, tokenName: String?) async throws -> IssuedToken<PersonalToken> {
        var check = Validator()
        check.check(!email.isEmpty, "email", "is required")
        check.check(!password.isEmpty, "password", "is required")
        check.check(password.count <= 200 && email.count <= EmailAddress.maximumLength, "password", "is too long")
        if let name = tokenName { check.text(name, "name", maxLength: 100) }
        try check.throwIfFailed()
        let found = try await database.read { db in
            try await db.select().columns("id", "password_hash").from("users")
                .where("email_normalized", .equal, EmailAddress.normalized(email)).first()
        }
        let userId = try found?.decode(column: "id", as: String.self)
        let hash = try found?.decode(column: "password_hash", as: String?.self)
        guard try await passwords.verify(password, against: hash, for: .login), let userId else {
            // The account when the email has one (never the email itself).
            try? await recordSecurityEvent(.loginFailed, userId: userId)
            throw AuthenticationFailure("the email or the password is wrong")
        }
        return try await issuePersonalToken(
            userId: userId, name: tokenName ?? "login", lifetime: settings.tokenLifetime, createdBy: userId, loggingIn: true)
    }

    /// A personal token for a user (login, or `gusp token create`).
    public func issuePersonalToken(
        userId: String, name: String, lifetime: TimeInterval, createdBy: String?, loggingIn: Bool = false
    ) async throws -> IssuedToken<PersonalToken> {
        let secret = TokenSecret(kind: .personal)
        let now = nowMilliseconds
        let token = PersonalToken(id: Identifier.make("tok"), userId: userId, expiresAt: now + Int64(lifetime * 1000))
        // A new token changes nothing cached: no cache is dropped (a login must not empty every instance's).
        try await database.write { db in
            try await Self.insertToken(
                id: token.id, kind: "personal", secret: secret, name: name, userId: userId,
                partnerId: nil, createdBy: createdBy, now: now, expiresAt: token.expiresAt, db)
            if loggingIn { try await SecurityLog.append(db, .loginSucceeded, actorId: userId, userId: userId, at: now) }
        }
        return IssuedToken(record: token, secret: secret.value)
    }

    /// Revokes the token the actor presented.
    public func revokeOwnToken(_ actor: Actor) async throws {
        let now = nowMilliseconds
        try await writeReference { db in
            try await db.update("access_tokens").set("revoked_at", to: now)
                .where("id", .equal, actor.tokenId).where("revoked_at", .is, SQLLiteral.null).run()
        }
    }

    static func insertToken(
        id: String, kind: String, secret: TokenSecret, name: String, userId: String?, partnerId: String?,
        createdBy: String?, now: Int64, expiresAt: Int64, _ db: any SQLDatabase
    ) async throws {
        try await db.insert(into: "access_tokens")
            .columns("id", "kind", "token_hash", "prefix", "name", "user_id", "partner_id", "created_by", "created_at", "expires_at")
            .values(
                SQLBind(id), SQLBind(kind), SQLBind(TokenSecret.hash(secret.value)), SQLBind(secret.displayPrefix),
                SQLBind(name), SQLBind(userId), SQLBind(partnerId), SQLBind(createdBy), SQLBind(now), SQLBind(expiresAt)
            )
            .run()
    }
}
