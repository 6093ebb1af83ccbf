import Foundation
import GUSPDatabase
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

/// What the idempotency records say of a key, before its request runs.
public enum IdempotencyClaim: Sendable, Equatable {
    /// No command has committed with this key: run the request (`Store.runIdempotently`).
    case proceed
    /// Seen before with the same request: answer this.
    case replay(StoredResponse)
    /// Seen before with another request (409).
    case mismatch
    /// The first request's command has committed and its answer is being written (409, retry at once).
    case inProgress
    /// The first request's command committed but its answer was never kept: the process stopped
    /// between the two (409; never for filings, whose answer commits with them).
    case answerLost
}

/// Another request with the same key committed first: ask the records again.
public struct IdempotencyKeyTaken: Error, Sendable {}

extension Store {
    public static let idempotencyWindow: TimeInterval = 24 * 3600
    /// Milliseconds after which a committed command whose answer is still not kept counts as answered
    /// by a process that stopped: the answer is written right after the commit, in milliseconds.
    static let unansweredRecordAge: Int64 = 10_000

    /// `scope` makes keys private to one caller; `request` fingerprints method, path and body. A read:
    /// the record is written by the command's own transaction (`runIdempotently`).
    public func lookUpIdempotencyKey(_ key: String, scope: String, request: String) async throws -> IdempotencyClaim {
        let keyHash = Self.idempotencyKeyHash(key, scope: scope)
        let now = nowMilliseconds
        let row = try await database.read { db in
            try await db.select().column(SQLLiteral.all).from("idempotency_records").where("key_hash", .equal, keyHash).first()
        }
        guard let row, try row.decode(column: "expires_at", as: Int64.self) > now else {
            if row != nil { try await forgetExpiredIdempotencyKey(keyHash, now: now) }
            return .proceed
        }
        guard try row.decode(column: "request_hash", as: String.self) == TokenSecret.hash(request) else { return .mismatch }
        guard let status = try row.decode(column: "status", as: Int?.self) else {
            let claimedAt = try row.decode(column: "created_at", as: Int64.self)
            return now - claimedAt < Self.unansweredRecordAge ? .inProgress : .answerLost
        }
        return .replay(
            StoredResponse(
                status: status, contentType: try row.decode(column: "content_type", as: String?.self),
                location: try row.decode(column: "location", as: String?.self),
                etag: try row.decode(column: "etag", as: String?.self),
                body: try row.decode(column: "body", as: String?.self) ?? ""))
    }

    /// Runs `command` (the request) with the key's record written by the first transaction it commits,
    /// in that transaction: the command and its record commit together, so a retry after any crash
    /// finds the record exactly when the command committed. A filing's record also holds its answer
    /// (`IdempotentRequest.answerFilings`). Throws `IdempotencyKeyTaken` when another request with the
    /// key committed first (its transaction is rolled back).
    public func runIdempotently<Result: Sendable>(
        key: String, scope: String, request: String, _ command: (IdempotentRequest) async throws -> Result
    ) async throws -> Result {
        let now = nowMilliseconds
        let idempotent = IdempotentRequest(
            keyHash: Self.idempotencyKeyHash(key, scope: scope), requestHash: TokenSecret.hash(request), claimedAt: now,
            expiresAt: now + Int64(Self.idempotencyWindow * 1000))
        return try await IdempotentRequest.$current.withValue(idempotent) {
            try await CommandRecord.$current.withValue(idempotent.record) { try await command(idempotent) }
        }
    }

    /// Keeps the answer of a request whose command committed (`IdempotentRequest.isWritten`).
    public func completeIdempotentRequest(_ request: IdempotentRequest, response: StoredResponse) async throws {
        try await database.write { db in
            try await db.update("idempotency_records")
                .set("status", to: response.status).set("content_type", to: response.contentType)
                .set("location", to: response.location).set("etag", to: response.etag).set("body", to: response.body)
                .where("key_hash", .equal, request.keyHash).run()
        }
    }

    /// Whether a record exists for the key (after a failed filing: did another request take it?).
    func idempotencyRecordExists(_ keyHash: String) async throws -> Bool {
        try await database.read { db in
            try await db.select().column("key_hash").from("idempotency_records").where("key_hash", .equal, keyHash).first() != nil
        }
    }

    private func forgetExpiredIdempotencyKey(_ keyHash: String, now: Int64) async throws {
        try await database.write { db in
            try await db.delete(from: "idempotency_records").where("key_hash", .equal, keyHash)
                .where("expires_at", .lessThanOrEqual, now).run()
        }
    }

    static func idempotencyKeyHash(_ key: String, scope: String) -> String {
        TokenSecret.hash(scope + "\u{1F}" + key)
    }
}
