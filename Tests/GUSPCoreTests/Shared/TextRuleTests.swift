import Foundation
import GUSPDatabase
import GUSPTestSupport
import Testing

@testable import GUSPCore

@Suite("One text rule for every human-readable field")
struct TextRuleTests {
    @Test("lengths count code points: 3,000 characters of 101 code points each are refused as a 4,000 limit's description")
    func codePoints() {
        let heavy = String(repeating: "e" + String(repeating: "\u{301}", count: 100), count: 3_000)
        #expect(heavy.count == 3_000)
        var check = Validator()
        SignalementRules.checkDescription(heavy, into: &check)
        #expect(check.errors.map(\.field) == ["description"])
        var fine = Validator()
        SignalementRules.checkDescription(String(repeating: "é", count: 4_000), into: &fine)
        #expect(fine.errors.isEmpty)
    }

    @Test(
        "labels refuse control characters as descriptions do; tab and line breaks stay allowed",
        arguments: ["\u{1B}[31mrouge", "cloche\u{07}", "nul\u{0}", "c1\u{85}", "del\u{7F}"])
    func controlCharacters(text: String) {
        var check = Validator()
        check.text(text, "name", maxLength: 200)
        #expect(check.errors.map(\.message) == ["must be plain text (no control characters)"])
    }

    @Test("a partner's name with ESC or BEL is refused through the store", arguments: TestDatabases.engines)
    func partnerName(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            for name in ["Régie \u{1B}[2J", "Bailleur\u{07}"] {
                let refused = try await invalidFields {
                    try await store.createPartner(NewPartner(kind: .association, name: name, territoryIds: []), by: Fixture.root)
                }
                #expect(refused == ["name"])
            }
            var check = Validator()
            check.text("ligne 1\nligne 2\tfin", "note", maxLength: 200)
            #expect(check.errors.isEmpty)
        }
    }
}
