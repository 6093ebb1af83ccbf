import Foundation
import Testing

@testable import GUSPMail

/// No input may create a header line: line breaks become spaces, other control characters are encoded,
/// addresses, Message-IDs, URLs and header names with them are refused.
@Suite("Header injection")
struct HeaderInjectionTests {
    private func headerNames(_ message: MailMessage) throws -> [String] {
        Fixtures.headers(of: try message.rendered()).map { $0.name.lowercased() }
    }

    @Test(
        "a subject with CRLF yields no Bcc header",
        arguments: [
            "Bonjour\r\nBcc: victim@example.org", "Bonjour\nBcc: victim@example.org",
            "Bonjour\rBcc: victim@example.org", "Crème\r\nBcc: victim@example.org", "Bonjour\r\n\r\nBody injection",
        ])
    func subject(subject: String) throws {
        let message = Fixtures.message(subject: subject)
        let names = try self.headerNames(message)
        #expect(!names.contains("bcc"))
        #expect(names.filter { $0 == "subject" }.count == 1)
        let rendered = try message.rendered()
        #expect(!rendered.contains("\r\nBcc:"))
        // The header block did not end early: the fields after Subject are still in it.
        #expect(names.contains("mime-version") && names.contains("content-type"))
    }

    @Test("a display name with CRLF yields no Bcc header")
    func displayName() throws {
        for name in ["Mallory\r\nBcc: victim@example.org", "Mallory \"\r\nBcc: victim@example.org\r\n\"", "Mélanie\r\nBcc: victim@example.org"] {
            let message = Fixtures.message(to: MailAddress("habitant@example.org", name: name))
            let headers = Fixtures.headers(of: try message.rendered())
            #expect(!headers.contains { $0.name.lowercased() == "bcc" })
            let to = try #require(headers.first { $0.name == "To" }?.value)
            #expect(to.hasSuffix("<habitant@example.org>"))
        }
    }

    @Test("extra header values with CRLF or control characters stay one field")
    func extraHeaderValue() throws {
        let message = Fixtures.message(extraHeaders: [MailHeader("X-Note", "ok\r\nBcc: victim@example.org\u{0}\u{1B}[31m")])
        let headers = Fixtures.headers(of: try message.rendered())
        #expect(!headers.contains { $0.name.lowercased() == "bcc" })
        let note = try #require(headers.first { $0.name == "X-Note" }?.value)
        #expect(Fixtures.decodeEncodedWords(note) == "ok Bcc: victim@example.org\u{0}\u{1B}[31m")
    }

    @Test("every header line of a hostile message is a field or a continuation")
    func hostileEverything() throws {
        let hostile = "x\r\nBcc: v@example.org\r\n\u{85}\u{2028}y\u{7F}"
        let message = MailMessage(
            from: MailAddress("noreply@gusp.example.org", name: hostile),
            to: MailAddress("habitant@example.org", name: hostile),
            subject: hostile,
            text: hostile,
            html: hostile,
            messageId: "id@gusp.example.org",
            extraHeaders: [MailHeader("X-A", hostile)]
        )
        let rendered = try message.rendered()
        let block = rendered.components(separatedBy: "\r\n\r\n")[0]
        let allowed: Set<String> = ["date", "from", "to", "subject", "message-id", "x-a", "mime-version", "content-type"]
        for line in block.components(separatedBy: "\r\n") where line.first != " " {
            let name = String(line.prefix { $0 != ":" }).lowercased()
            #expect(allowed.contains(name), "unexpected header line: \(line)")
        }
        #expect(block.utf8.allSatisfy { MailSyntax.isPrintableASCII($0) || $0 == 13 || $0 == 10 })
    }
}
