import Foundation
import SQLKit

private struct ApiKeyRow: Decodable {
    var id: String, partnerId: String, name: String, prefix: String, createdAt: Int64, expiresAt: Int64
    var revokedAt: Int64?, lastUsedAt: Int64?

    var apiKey: ApiKey {
        ApiKey(
            id: id, partnerId: partnerId, name: name, prefix: prefix, createdAt: createdAt, expiresAt: expiresAt,
            revokedAt: revokedAt, lastUsedAt: lastUsedAt)
    }
}

extension Store {
    /// The longest life an API key may be given.
    public static let maximumApiKeyLifetime: TimeInterval = 2 * 365 * 86_400

    public func apiKeys(partnerId: String, page: PageRequest, by actor: Actor) async throws -> Page<ApiKey> {
        let keys = try await database.read { db in
            try await Self.requirePartnerAccess(partnerId, .manageApiKeys, actor, db)
            return try await db.select()
                .columns("id", "partner_id", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at")
                .from("access_tokens").where("kind", .equal, "api_key").where("partner_id", .equal, partnerId)
                .paged(page, table: "access_tokens")
                .all(decoding: ApiKeyRow.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.apiKey)
        }
        return Page(rows: keys, request: page) { PageCursor(createdAt: $0.createdAt, id: $0.id) }
    }

    public func createApiKey(partnerId: String, name: String, expiresAt: Date?, by actor: Actor) async throws -> IssuedToken<ApiKey> {
        var check = Validator()
        check.text(name, "name", maxLength: 100)
        let now = clock.now()
        if let expiresAt {
            check.check(expiresAt > now, "expires_at", "must be in the future")
            check.check(expiresAt.timeIntervalSince(now) <= Self.maximumApiKeyLifetime, "expires_at", "must be within two years")
        }
        try check.throwIfFailed()
        let secret = TokenSecret(kind: .apiKey)
        let key = ApiKey(
            id: Identifier.make("key"), partnerId: partnerId, name: name.trimmingWhitespace,
            prefix: secret.displayPrefix, createdAt: now.storedMilliseconds,
            expiresAt: (expiresAt ?? now.addingTimeInterval(settings.apiKeyLifetime)).storedMilliseconds,
            revokedAt: nil, lastUsedAt: nil)
        try await writeReference { db in
            try await Self.requirePartnerAccess(partnerId, .manageApiKeys, actor, db)
            try await Self.insertToken(
                id: key.id, kind: "api_key", secret: secret, name: key.name, userId: nil,
                partnerId: partnerId, createdBy: actor.id, now: key.createdAt, expiresAt: key.expiresAt, db)
            try await EventLog.append(db, .apiKey, key.id, "created", actor: actor, at: key.createdAt)
            try await SecurityLog.append(db, .apiKeyCreated, actorId: actor.id, apiKeyId: key.id, detail: "partner \(partnerId)", at: key.createdAt)
        }
        return IssuedToken(record: key, secret: secret.value)
    }

    public func revokeApiKey(partnerId: String, keyId: String, by actor: Actor) async throws {
        let now = nowMilliseconds
        try await writeReference { db in
            try await Self.requirePartnerAccess(partnerId, .manageApiKeys, actor, db)
            let found = try await db.select().column("revoked_at").from("access_tokens")
                .where("id", .equal, keyId).where("partner_id", .equal, partnerId).where("kind", .equal, "api_key").first()
            guard let found else { throw DomainError.notFound("API key not found") }
            if try found.decodeNil(column: "revoked_at") {
                try await db.update("access_tokens").set("revoked_at", to: now).where("id", .equal, keyId).run()
                try await EventLog.append(db, .apiKey, keyId, "revoked", actor: actor, at: now)
                try await SecurityLog.append(db, .apiKeyRevoked, actorId: actor.id, apiKeyId: keyId, detail: "partner \(partnerId)", at: now)
            }
        }
    }

    /// The partner exists and is visible (else 404), and the actor may do `operation` for it (else 403).
    @discardableResult
    static func requirePartnerAccess(_ partnerId: String, _ operation: Operation, _ actor: Actor, _ db: any SQLDatabase) async throws -> Partner {
        guard let partner = try await loadPartner(partnerId, db) else { throw DomainError.notFound("partner not found") }
        try Permissions.require(actor, operation, on: partner.scope, visibility: .readPartner, resource: "partner")
        return partner
    }
}
