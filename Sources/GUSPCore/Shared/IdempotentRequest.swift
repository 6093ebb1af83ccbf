import GUSPDatabase
import SQLKit
import Synchronization

/// A request carrying an `Idempotency-Key`, while it runs (`Store.runIdempotently`): its record, written
/// by the transaction of its command, and, for a filing, how its answer is written so that the record
/// holds the answer from that same transaction.
public final class IdempotentRequest: Sendable {
    @TaskLocal public static var current: IdempotentRequest?

    /// How a filing's answer is written (the HTTP layer's), or nil: the answer is kept afterwards.
    public typealias FilingAnswer = @Sendable (FiledSignalement) -> StoredResponse?

    let keyHash: String
    let requestHash: String
    let claimedAt: Int64
    let expiresAt: Int64
    let record: CommandRecord
    private let answers = Mutex<(filing: FilingAnswer?, kept: StoredResponse?)>((nil, nil))

    init(keyHash: String, requestHash: String, claimedAt: Int64, expiresAt: Int64) {
        self.keyHash = keyHash
        self.requestHash = requestHash
        self.claimedAt = claimedAt
        self.expiresAt = expiresAt
        let values: [any SQLExpression] = [SQLBind(keyHash), SQLBind(requestHash), SQLBind(claimedAt), SQLBind(expiresAt)]
        record = CommandRecord { db in
            // Nothing inserted: another request with this key committed first (on PostgreSQL, after
            // waiting for it); the command must not run twice.
            let inserted = try await db.insert(into: "idempotency_records").columns(Self.claimColumns).values(values)
                .ignoringConflicts(with: "key_hash").returning("key_hash").all()
            guard !inserted.isEmpty else { throw IdempotencyKeyTaken() }
        }
    }

    /// Whether the request's command committed, and its record with it.
    public var isWritten: Bool { record.isWritten }

    /// The answer its record already holds (a filing's, kept by its own transaction), or nil.
    public var keptAnswer: StoredResponse? { answers.withLock { $0.kept } }

    /// Says how a filing's answer is written (before the filing runs).
    public func answerFilings(with answer: @escaping FilingAnswer) {
        answers.withLock { $0.filing = answer }
    }

    static let claimColumns = ["key_hash", "request_hash", "created_at", "expires_at"]
    static let answerColumns = ["status", "content_type", "location", "etag", "body"]

    /// The record's row for a filing's transaction, with its answer when one can be written: taken
    /// from the record (no other transaction of the request writes it); `settle` once the filing ends.
    func filingRows(for filed: FiledSignalement) -> TableRows? {
        guard record.take() else { return nil }
        let answer = answers.withLock { answers in
            answers.kept = answers.filing?(filed)
            return answers.kept
        }
        var rows = TableRows("idempotency_records", Self.claimColumns + Self.answerColumns)
        rows.append([
            .text(keyHash), .text(requestHash), .integer(claimedAt), .integer(expiresAt), .integer(answer.map { Int64($0.status) }),
            .text(answer?.contentType), .text(answer?.location), .text(answer?.etag), .text(answer?.body),
        ])
        return rows
    }

    /// After a filing that took the record: whether it committed.
    func settleFiling(committed: Bool) {
        record.settle(committed: committed)
        if !committed { answers.withLock { $0.kept = nil } }
    }
}
