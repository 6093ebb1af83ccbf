import Foundation
import Testing

@testable import GUSPMail

@Suite("RFC 2047 encoded-words")
struct EncodedWordsTests {
    static let longFrenchSubject =
        "Votre signalement « Éclairage public défectueux près de l’école élémentaire Jean-Jaurès » a été pris en charge "
        + "par les services techniques de la métropole — délai estimé : trois à cinq jours ouvrés, merci de votre patience"

    @Test("a long French subject splits into words ≤ 75 on lines ≤ 76 and decodes back")
    func longFrenchSubject() throws {
        let rendered = try Fixtures.message(subject: Self.longFrenchSubject).rendered()
        let block = rendered.components(separatedBy: "\r\n\r\n")[0]
        let lines = block.components(separatedBy: "\r\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("Subject: ") })
        let subjectLines = [lines[start]] + lines[(start + 1)...].prefix { $0.hasPrefix(" ") }
        #expect(subjectLines.count > 3)
        for line in subjectLines {
            #expect(line.utf8.count <= 76, "line too long: \(line)")
        }
        let words = subjectLines.joined(separator: "\r\n").dropFirst("Subject: ".count)
            .split(whereSeparator: \.isWhitespace)
        for word in words {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            // Each word holds whole characters: its bytes alone are valid UTF-8.
            #expect(Fixtures.decodeEncodedWords(String(word)) != nil, "word splits a UTF-8 sequence: \(word)")
        }
        let unfolded = Fixtures.headers(of: rendered).first { $0.name == "Subject" }?.value ?? ""
        #expect(Fixtures.decodeEncodedWords(unfolded) == Self.longFrenchSubject)
    }

    @Test("words never split a UTF-8 sequence, whatever the first word's room", arguments: [20, 33, 46, 67, 75])
    func characterBoundaries(firstWordLength: Int) {
        let text = String(repeating: "é€😀👩‍👩‍👧‍👦a’", count: 20)
        let words = EncodedWords.encode(text, firstWordLength: firstWordLength)
        #expect(words[0].count <= max(firstWordLength, EncodedWords.minimumWordLength))
        for word in words {
            #expect(word.count <= 75)
            #expect(Fixtures.decodeEncodedWords(word) != nil)
        }
        #expect(Fixtures.decodeEncodedWords(words.joined(separator: " ")) == text)
    }

    @Test("an empty or ASCII text still makes valid words")
    func edgeCases() {
        #expect(EncodedWords.encode("") == ["=?UTF-8?B??="])
        #expect(Fixtures.decodeEncodedWords(EncodedWords.encode("a\u{0}b").joined(separator: " ")) == "a\u{0}b")
    }

    @Test("non-ASCII display names are encoded, then the address")
    func displayName() throws {
        let name = "Élodie Müller-Nguyễn, Mairie du 3ᵉ arrondissement de Lyon (service propreté)"
        let rendered = try Fixtures.message(to: MailAddress("elodie@example.org", name: name)).rendered()
        let to = try #require(Fixtures.headers(of: rendered).first { $0.name == "To" }?.value)
        #expect(to.hasSuffix(" <elodie@example.org>"))
        #expect(Fixtures.decodeEncodedWords(String(to.dropLast(" <elodie@example.org>".count))) == name)
        #expect(rendered.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
    }
}
