import Foundation
import Testing

@testable import GUSPMail

@Suite("Message rendering")
struct MailRenderingTests {
    @Test("standard headers, in RFC 5322 form")
    func standardHeaders() throws {
        let message = Fixtures.message()
        let rendered = try message.rendered()
        let headers = Fixtures.headers(of: rendered)
        func value(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }

        #expect(value("Date") == "Tue, 03 Dec 2024 14:29:00 +0000")
        #expect(value("Message-ID") == "<\(message.messageId)>")
        #expect(value("MIME-Version") == "1.0")
        #expect(value("To") == "Habitant Exemple <habitant@example.org>")
        #expect(value("From")?.hasSuffix(" <noreply@gusp.example.org>") == true)
        #expect(value("List-Unsubscribe") == "<https://gusp.example.org/unsubscribe?token=abc123>")
        #expect(value("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
        #expect(value("Auto-Submitted") == "auto-generated")
        #expect(value("Content-Type")?.hasPrefix("multipart/alternative; boundary=\"=_gusp_") == true)
        #expect(Fixtures.decodeEncodedWords(value("Subject") ?? "") == message.subject)
    }

    @Test("7-bit, CRLF only, header lines ≤ 78 and body lines ≤ 76")
    func lineDiscipline() throws {
        let rendered = try Fixtures.message().rendered()
        #expect(rendered.utf8.allSatisfy { $0 < 0x80 })
        #expect(rendered.hasSuffix("\r\n"))
        let bytes = Array(rendered.utf8)
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            #expect(index > 0 && bytes[index - 1] == UInt8(ascii: "\r"), "bare LF at \(index)")
        }
        let parts = rendered.components(separatedBy: "\r\n\r\n")
        for line in parts[0].components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 78, "header line too long: \(line)")
        }
        for line in rendered.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 998)
        }
        for line in parts.dropFirst().joined(separator: "\r\n\r\n").components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76, "body line too long: \(line)")
        }
    }

    @Test("multipart/alternative: text first, html last, boundary absent from the parts")
    func multipartStructure() throws {
        let message = Fixtures.message()
        let rendered = try message.rendered(boundary: "=_gusp_test")
        let sections = rendered.components(separatedBy: "\r\n--=_gusp_test")
        #expect(sections.count == 4)
        #expect(sections[1].contains("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable"))
        #expect(sections[2].contains("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable"))
        #expect(sections[3] == "--\r\n")
        let textBody = sections[1].components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        let decoded = String(decoding: Fixtures.decodeQuotedPrintable(textBody), as: UTF8.self)
        #expect(decoded == message.text.replacingOccurrences(of: "\n", with: "\r\n"))

        let random = try message.rendered()
        let boundary = try #require(random.firstRange(of: "boundary=\"").map { random[$0.upperBound...].prefix { $0 != "\"" } })
        #expect(boundary.count == 39)
        #expect(random.components(separatedBy: String(boundary)).count == 5)  // header + 2 openers + closer
    }

    @Test("a message without html is a single text/plain part")
    func singlePart() throws {
        let message = Fixtures.message(html: nil, unsubscribeURL: nil, extraHeaders: [])
        let rendered = try message.rendered()
        let headers = Fixtures.headers(of: rendered)
        #expect(headers.contains { $0.name == "Content-Type" && $0.value == "text/plain; charset=utf-8" })
        #expect(headers.contains { $0.name == "Content-Transfer-Encoding" && $0.value == "quoted-printable" })
        #expect(!headers.contains { $0.name.hasPrefix("List-Unsubscribe") })
        #expect(!rendered.contains("multipart"))
    }

    @Test("plain ASCII names and subjects stay readable; specials are quoted")
    func asciiNames() throws {
        var message = Fixtures.message(to: MailAddress("a@example.org", name: "Jean Dupont"), subject: "Hello world")
        var headers = Fixtures.headers(of: try message.rendered())
        #expect(headers.contains { $0.name == "To" && $0.value == "Jean Dupont <a@example.org>" })
        #expect(headers.contains { $0.name == "Subject" && $0.value == "Hello world" })

        message.to = MailAddress("a@example.org", name: "Dupont, J. \"JD\" \\o/")
        headers = Fixtures.headers(of: try message.rendered())
        #expect(headers.contains { $0.name == "To" && $0.value == #""Dupont, J. \"JD\" \\o/" <a@example.org>"# })

        message.to = MailAddress("a@example.org", name: "   ")
        headers = Fixtures.headers(of: try message.rendered())
        #expect(headers.contains { $0.name == "To" && $0.value == "a@example.org" })

        message.subject = "=?UTF-8?B?Zm9v?= looks encoded"
        let subject = Fixtures.headers(of: try message.rendered()).first { $0.name == "Subject" }?.value ?? ""
        #expect(Fixtures.decodeEncodedWords(subject) == "=?UTF-8?B?Zm9v?= looks encoded")
    }

    @Test("long ASCII subjects fold at spaces")
    func asciiFolding() throws {
        let subject = (1...30).map { "word\($0)" }.joined(separator: " ")
        let rendered = try Fixtures.message(subject: subject).rendered()
        let block = rendered.components(separatedBy: "\r\n\r\n")[0]
        #expect(block.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        #expect(block.contains("\r\n word"))
        let unfolded = Fixtures.headers(of: rendered).first { $0.name == "Subject" }?.value
        #expect(unfolded == subject)
    }

    @Test("Date uses English names and UTC whatever the date")
    func dateFormat() {
        #expect(RFC5322Date.string(from: Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(RFC5322Date.string(from: Date(timeIntervalSince1970: 951_782_400)) == "Tue, 29 Feb 2000 00:00:00 +0000")
        #expect(RFC5322Date.string(from: Date(timeIntervalSince1970: 1_767_225_599)) == "Wed, 31 Dec 2025 23:59:59 +0000")
    }

    @Test(
        "invalid addresses are refused",
        arguments: [
            "", "plain", "a@@b.org", "a@b@c.org", "a b@c.org", "<a@b.org>", "a@b.org>", "a@b.org\r\nBcc: x@y.org",
            "a@b.org\n", "\"quoted\"@b.org", ".a@b.org", "a.@b.org", "a..b@c.org", "é@b.org", "a@exämple.org",
            "a@-b.org", "a@b..org", "a@", "@b.org", "a@b.org,c@d.org", "a;b@c.org",
        ]
    )
    func invalidAddresses(address: String) {
        let message = Fixtures.message(to: MailAddress(address))
        #expect(throws: MailMessageError.invalidAddress(address)) { try message.rendered() }
    }

    @Test("valid addresses are accepted", arguments: ["a@b.org", "first.last+tag@sub.example.org", "x_y-z@[192.0.2.1]", "o'neil@b.co"])
    func validAddresses(address: String) throws {
        #expect(MailAddress(address).isValid)
        _ = try Fixtures.message(to: MailAddress(address)).rendered()
    }

    @Test("bad header names, Message-IDs and unsubscribe URLs are refused")
    func otherValidation() {
        for name in ["", "Bad Name", "Bad:Name", "X-Evil\r\nBcc", "Bcc", "subject", "Content-Type", "X-Ünicode"] {
            let message = Fixtures.message(extraHeaders: [MailHeader(name, "v")])
            #expect(throws: MailMessageError.invalidHeaderName(name)) { try message.rendered() }
        }
        for id in ["", "no-at-sign", "<a@b.org>", "a@b@c", "a b@c.org", "a@b.org\r\nBcc: x@y.org"] {
            var message = Fixtures.message()
            message.messageId = id
            #expect(throws: MailMessageError.invalidMessageId(id)) { try message.rendered() }
        }
        for url in ["ftp://x.org/u", "https://x.org/a b", "https://x.org/\r\nBcc: x@y.org", "https://x.org/>", "mailto:u@x.org"] {
            let message = Fixtures.message(unsubscribeURL: url)
            #expect(throws: MailMessageError.invalidUnsubscribeURL(url)) { try message.rendered() }
        }
    }
}
