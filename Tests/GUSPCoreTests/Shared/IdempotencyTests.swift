import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import SQLKit
import Testing

/// The idempotency record is written by the command's own transaction: it exists exactly when the
/// command committed, whatever stops in between (a crash is a command whose answer was never kept).
@Suite("Idempotency records")
struct IdempotencyTests {
    static let request = "POST /v1/signalements/x/comments\n{\"body\":\"tag\"}"

    @Test("a command that committed is replayed; one whose answer was lost is never run again", arguments: TestDatabases.engines)
    func committedCommand(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let resident = try await f.actor(.resident)
            let filed = try await store.createSignalement(
                NewSignalement(categoryId: try await f.category("proprete"), description: "tag sur le mur", address: "12 rue des Lilas"), by: resident
            )
            #expect(try await store.lookUpIdempotencyKey("k1", scope: "u1", request: Self.request) == .proceed)
            let written = try await store.runIdempotently(key: "k1", scope: "u1", request: Self.request) { idempotent in
                _ = try await store.commentSignalement(filed.signalement.id, body: "tag", visibility: .public, by: resident)
                return idempotent.isWritten
            }
            #expect(written)
            // Committed, its answer not yet kept (or never: the process stopped): never "proceed" again.
            #expect(try await store.lookUpIdempotencyKey("k1", scope: "u1", request: Self.request) == .inProgress)
            clock.advance(11)
            #expect(try await store.lookUpIdempotencyKey("k1", scope: "u1", request: Self.request) == .answerLost)
            #expect(try await store.lookUpIdempotencyKey("k1", scope: "u1", request: "POST /v1/other\n{}") == .mismatch)
            // Another caller's key of the same name is another key.
            #expect(try await store.lookUpIdempotencyKey("k1", scope: "u2", request: Self.request) == .proceed)
            #expect(try await comments(filed.signalement.id, store) == 1)
        }
    }

    @Test("the answer kept after the commit is replayed, until the key expires", arguments: TestDatabases.engines)
    func keptAnswer(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let resident = try await f.actor(.resident)
            let filed = try await store.createSignalement(
                NewSignalement(categoryId: try await f.category("proprete"), description: "tag sur le mur", address: "12 rue des Lilas"), by: resident
            )
            let answer = StoredResponse(status: 201, contentType: "application/json", location: nil, etag: nil, body: "{\"id\":\"cmt_1\"}")
            try await store.runIdempotently(key: "k1", scope: "u1", request: Self.request) { idempotent in
                _ = try await store.commentSignalement(filed.signalement.id, body: "tag", visibility: .public, by: resident)
                try await store.completeIdempotentRequest(idempotent, response: answer)
            }
            clock.advance(23 * 3_600)
            #expect(try await store.lookUpIdempotencyKey("k1", scope: "u1", request: Self.request) == .replay(answer))
            clock.advance(3_600)
            #expect(try await store.lookUpIdempotencyKey("k1", scope: "u1", request: Self.request) == .proceed)
            try await store.runIdempotently(key: "k1", scope: "u1", request: Self.request) { idempotent in
                _ = try await store.commentSignalement(filed.signalement.id, body: "tag", visibility: .public, by: resident)
                #expect(idempotent.isWritten)
            }
        }
    }

    @Test("a command that fails or rolls back leaves no record, and its retry runs", arguments: TestDatabases.engines)
    func failedCommand(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let resident = try await f.actor(.resident)
            struct Stop: Error {}
            // Refused before writing.
            await #expect(throws: ValidationFailure.self) {
                try await store.runIdempotently(key: "k1", scope: "u1", request: Self.request) { _ in
                    _ = try await store.createSignalement(
                        NewSignalement(categoryId: "nope", description: "x", address: "12 rue des Lilas"), by: resident)
                }
            }
            #expect(try await store.lookUpIdempotencyKey("k1", scope: "u1", request: Self.request) == .proceed)
            // Rolled back after its first statement: the record went with it, and the next transaction writes it.
            let written = try await store.runIdempotently(key: "k1", scope: "u1", request: Self.request) { idempotent in
                await #expect(throws: Stop.self) {
                    try await store.database.write { db in
                        try await db.raw("UPDATE partners SET name = name").run()
                        throw Stop()
                    }
                }
                #expect(!idempotent.isWritten)
                #expect(try await store.lookUpIdempotencyKey("k1", scope: "u1", request: Self.request) == .proceed)
                _ = try await store.createSignalement(
                    NewSignalement(categoryId: try await f.category("proprete"), description: "tag", address: "12 rue des Lilas"), by: resident)
                return idempotent.isWritten
            }
            #expect(written)
            #expect(try await store.lookUpIdempotencyKey("k1", scope: "u1", request: Self.request) == .inProgress)
        }
    }

    @Test("a filing's record holds its answer from the filing's own transaction", arguments: TestDatabases.engines)
    func filingAnswer(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let resident = try await f.actor(.resident)
            let category = try await f.category("proprete")
            let request = "POST /v1/signalements\n{\"description\":\"tag\"}"
            let filed = try await store.runIdempotently(key: "k1", scope: "u1", request: request) { idempotent in
                idempotent.answerFilings { filed in
                    StoredResponse(status: 201, contentType: "application/json", location: nil, etag: "\"1\"", body: filed.signalement.id)
                }
                return try await store.createSignalement(
                    NewSignalement(categoryId: category, description: "tag", address: "12 rue des Lilas"), by: resident)
            }
            // Nothing kept afterwards: the answer is there already, as if the process stopped right after the commit.
            let answer = StoredResponse(status: 201, contentType: "application/json", location: nil, etag: "\"1\"", body: filed.signalement.id)
            #expect(try await store.lookUpIdempotencyKey("k1", scope: "u1", request: request) == .replay(answer))
        }
    }

    @Test("two filings racing with one key: one signalement, the other told the key is taken", arguments: TestDatabases.engines)
    func racingFilings(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let resident = try await f.actor(.resident)
            let category = try await f.category("proprete")
            let request = "POST /v1/signalements\n{\"description\":\"course\"}"
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        do {
                            _ = try await store.runIdempotently(key: "race", scope: "u1", request: request) { _ in
                                try await store.createSignalement(
                                    NewSignalement(categoryId: category, description: "course", address: "12 rue des Lilas"), by: resident)
                            }
                            return true
                        } catch {
                            #expect(error is IdempotencyKeyTaken)
                            return false
                        }
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            let stored = try await store.database.read { db in
                try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("signalements")
                    .where("description", .equal, "course").first()?.decode(column: "n", as: Int.self)
            }
            #expect(stored == 1)
        }
    }

    private func comments(_ signalementId: String, _ store: Store) async throws -> Int {
        try await store.database.read { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("signalement_comments")
                .where("signalement_id", .equal, signalementId).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}
