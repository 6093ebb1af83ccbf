import Testing

@testable import GUSPMail

@Suite("Quoted-printable bodies")
struct QuotedPrintableTests {
    private func roundTrip(_ text: String) -> String {
        String(decoding: Fixtures.decodeQuotedPrintable(QuotedPrintable.encode(text)), as: UTF8.self)
    }

    @Test("escapes =, non-ASCII and trailing white space; keeps a leading dot")
    func escapes() {
        #expect(QuotedPrintable.encode("a=b") == "a=3Db\r\n")
        #expect(QuotedPrintable.encode("é €") == "=C3=A9 =E2=82=AC\r\n")
        #expect(QuotedPrintable.encode("end  \nx\t") == "end =20\r\nx=09\r\n")
        #expect(QuotedPrintable.encode(".leading dot") == ".leading dot\r\n")
        #expect(QuotedPrintable.encode("bell\u{7}") == "bell=07\r\n")
        #expect(QuotedPrintable.encode("") == "\r\n")
    }

    @Test("long lines get soft breaks, every encoded line ≤ 76, no escape cut")
    func softBreaks() {
        let text = String(repeating: "é=x ", count: 200) + "\n" + String(repeating: "a", count: 300)
        let encoded = QuotedPrintable.encode(text)
        for line in encoded.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76)
            let lastEquals = line.lastIndex(of: "=")
            if let lastEquals, line.distance(from: lastEquals, to: line.endIndex) < 3 {
                #expect(line.distance(from: lastEquals, to: line.endIndex) == 1, "escape cut at a soft break: \(line)")
            }
        }
        #expect(roundTrip(text) == text.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n")
    }

    @Test("a 76-character line needs no soft break; 77 does")
    func exactLength() {
        #expect(QuotedPrintable.encode(String(repeating: "a", count: 76)) == String(repeating: "a", count: 76) + "\r\n")
        #expect(QuotedPrintable.encode(String(repeating: "a", count: 77)).contains("=\r\n"))
    }

    @Test("line breaks of any style become CRLF; a final one is not doubled")
    func lineBreaks() {
        #expect(QuotedPrintable.encode("a\r\nb\rc\nd\n") == "a\r\nb\r\nc\r\nd\r\n")
        #expect(QuotedPrintable.encode("a\n\n") == "a\r\n\r\n")
        #expect(roundTrip(Fixtures.frenchText) == Fixtures.frenchText.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n")
    }
}
