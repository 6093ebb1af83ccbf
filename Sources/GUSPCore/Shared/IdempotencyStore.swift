import Foundation
import SQLKit

/// The first response to a creating POST, kept so that a retry with the same `Idempotency-Key`
/// gets it again instead of creating twice.
public struct StoredResponse: Sendable, Equatable {
    public var status: Int
    public var contentType: String?
    public var location: String?
    public var etag: String?
    public var body: String

    public init(status: Int, contentType: String?, location: String?, etag: String?, body: String) {
        self.status = status
        self.contentType = contentType
        self.location = location
        self.etag = etag
        self.body = body
    }
}

public enum IdempotencyClaim: Sendable, Equatable {
    /// First use of the key: go ahead, then `completeIdempotentRequest` (or release it on failure).
    case proceed
    /// Seen before with the same request: answer this.
    case replay(StoredResponse)
    /// Seen before with another request (409).
    case mismatch
    /// The first request with this key is still running (409).
    case inProgress
}

extension Store {
    public static let idempotencyWindow: TimeInterval = 24 * 3600
    /// Milliseconds after which a claim still running is taken for abandoned.
    static let abandonedClaimAge: Int64 = 120_000

    /// `scope` makes keys private to one caller; `request` fingerprints method, path and body.
    public func claimIdempotencyKey(_ key: String, scope: String, request: String) async throws -> IdempotencyClaim {
        let keyHash = TokenSecret.hash(scope + "\u{1F}" + key)
        let requestHash = TokenSecret.hash(request)
        let now = nowMilliseconds
        return try await database.write { db in
            // A claim that never completed (the process died mid-request) is abandoned after a while.
            try await db.delete(from: "idempotency_records").where("key_hash", .equal, keyHash)
                .where {
                    $0.where("expires_at", .lessThanOrEqual, now)
                        .orWhere { $0.where("status", .is, SQLLiteral.null).where("created_at", .lessThanOrEqual, now - Self.abandonedClaimAge) }
                }
                .run()
            // Insert-or-nothing, then read: two requests racing with one key both see one record.
            let inserted = try await db.insert(into: "idempotency_records")
                .columns("key_hash", "request_hash", "created_at", "expires_at")
                .values(SQLBind(keyHash), SQLBind(requestHash), SQLBind(now), SQLBind(now + Int64(Self.idempotencyWindow * 1000)))
                .ignoringConflicts(with: "key_hash")
                .returning("key_hash")
                .all()
            if !inserted.isEmpty { return .proceed }
            guard
                let row = try await db.select().column(SQLLiteral.all).from("idempotency_records")
                    .where("key_hash", .equal, keyHash).first()
            else { return .inProgress }
            guard try row.decode(column: "request_hash", as: String.self) == requestHash else { return .mismatch }
            guard let status = try row.decode(column: "status", as: Int?.self) else { return .inProgress }
            return .replay(
                StoredResponse(
                    status: status, contentType: try row.decode(column: "content_type", as: String?.self),
                    location: try row.decode(column: "location", as: String?.self),
                    etag: try row.decode(column: "etag", as: String?.self),
                    body: try row.decode(column: "body", as: String?.self) ?? ""))
        }
    }

    public func completeIdempotentRequest(_ key: String, scope: String, response: StoredResponse) async throws {
        let keyHash = TokenSecret.hash(scope + "\u{1F}" + key)
        try await database.write { db in
            try await db.update("idempotency_records")
                .set("status", to: response.status).set("content_type", to: response.contentType)
                .set("location", to: response.location).set("etag", to: response.etag).set("body", to: response.body)
                .where("key_hash", .equal, keyHash).run()
        }
    }

    /// Forgets a claimed key whose request failed on the server's side, so that a retry can run.
    public func releaseIdempotencyKey(_ key: String, scope: String) async throws {
        let keyHash = TokenSecret.hash(scope + "\u{1F}" + key)
        try await database.write { db in
            try await db.delete(from: "idempotency_records").where("key_hash", .equal, keyHash).run()
        }
    }
}
