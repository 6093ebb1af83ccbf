import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import HTTPTypes
import Synchronization
import Testing

/// Credentials that resist abuse (regression tests of the audit's findings).
@Suite("Credentials")
struct CredentialTests {
    @Test("the most common passwords are refused, whatever their case, with the reason", arguments: ["password123", "Password123", "QWERTYUIOP"])
    func commonPasswords(password: String) async throws {
        try await TestApp.run(.sqlite) { api in
            let refused = try await api.call(.post, "/v1/residents", json: ["email": "nadia@example.org", "password": password])
            #expect(refused.status == 422)
            #expect(refused.invalidFields == ["password"])
            #expect(refused.text.contains("most common passwords"))
        }
    }

    @Test(
        "only the holder or an admin sets a password: a coordinator gets 403 and the holder's password still works",
        arguments: TestDatabases.engines)
    func passwordsAreTheirHolders(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            for target in [f.users[.technician]!, f.users[.elected]!] {
                let set = try await api.call(.patch, "/v1/users/\(target.id)", as: .coordinator, json: ["password": "le coordinateur choisit"])
                #expect(set.status == 403, "\(set.text)")
                let login = try await api.call(.post, "/v1/auth/token", json: ["email": target.email, "password": f.password])
                #expect(login.status == 201)
                let taken = try await api.call(.post, "/v1/auth/token", json: ["email": target.email, "password": "le coordinateur choisit"])
                #expect(taken.status == 401)
            }
            let byAdmin = try await api.call(.patch, "/v1/users/\(f.users[.technician]!.id)", as: .admin, json: ["password": "choisi par l'admin"])
            #expect(byAdmin.status == 200)
        }
    }

    @Test("current_password is guessed no faster than a login: the 11th try in 15 minutes is a 429 with Retry-After")
    func currentPasswordLimit() async throws {
        try await TestApp.run(.sqlite) { api in
            let me = api.fixture.users[.resident]!
            for attempt in 1...10 {
                let wrong = try await api.call(
                    .patch, "/v1/users/\(me.id)", as: .resident,
                    json: ["password": "une nouvelle phrase", "current_password": "essai \(attempt)"])
                #expect(wrong.status == 422, "attempt \(attempt): \(wrong.text)")
            }
            let limited = try await api.call(
                .patch, "/v1/users/\(me.id)", as: .resident,
                json: ["password": "une nouvelle phrase", "current_password": api.fixture.password])
            #expect(limited.status == 429)
            #expect(limited.headers[.retryAfter] != nil)
        }
    }

    @Test("logins have bcrypt threads of their own: a login finishes while a flood of password confirmations waits")
    func loginCapacity() async throws {
        let hasher = PasswordHasher(cost: 10)
        let hash = try await hasher.hash("une phrase de passe")
        let confirmed = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    _ = try await hasher.verify("mauvais essai", against: hash, for: .other)
                    confirmed.value.withLock { $0 += 1 }
                }
            }
            try await Task.sleep(for: .milliseconds(20))
            #expect(try await hasher.verify("une phrase de passe", against: hash, for: .login))
            #expect(confirmed.value.withLock { $0 } < 8, "the login waited for every confirmation")
            try await group.waitForAll()
        }
    }
}

private final class Counter: Sendable {
    let value = Mutex(0)
}
