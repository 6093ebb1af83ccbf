import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

@Suite("Lookalike email addresses")
struct LookalikeEmailTests {
    @Test(
        "invisible and control characters, NUL and mixed alphabets are refused",
        arguments: [
            "na\u{200B}dia@example.org", "nadia\u{200D}@example.org", "na\u{AD}dia@example.org", "nadia\u{0}@example.org",
            "n\u{0430}dia@example.org", "nadia@ex\u{0430}mple.org", "nad\u{03B9}a@example.org",
            "\u{578}adia@example.org", "\u{13AA}dam@example.org", "n\u{251}dia@example.org", "nadia\u{34F}@example.org",
            "nadia\u{FE0F}@example.org", "na\u{3164}dia@example.org", "john\u{660}doe@example.org",
        ])
    func refused(email: String) {
        #expect(EmailAddress.problem(with: email) != nil, "\(email.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test("addresses in one alphabet, accents included, are accepted", arguments: ["hélène@orange.fr", "иван@почта.рф", "nadia@example.org"])
    func accepted(email: String) {
        #expect(EmailAddress.problem(with: email) == nil)
    }

    @Test("a full-width spelling is the same account as the plain one", arguments: TestDatabases.engines)
    func fullWidth(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            _ = try await store.registerResident(email: "nadia@example.org", password: "long enough pw", displayName: nil)
            await #expect(throws: DomainError.self) {
                try await store.registerResident(email: "ｎａｄｉａ@ｅｘａｍｐｌｅ.ｏｒｇ", password: "long enough pw", displayName: nil)
            }
            for email in ["na\u{200B}dia@example.org", "n\u{0430}dia@example.org"] {
                let refused = try await invalidFields {
                    try await store.registerResident(email: email, password: "long enough pw", displayName: nil)
                }
                #expect(refused == ["email"])
            }
        }
    }
}
