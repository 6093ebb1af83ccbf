import Foundation
import GUSPTestSupport
import Testing

@testable import GUSPMail

/// Deliveries to a real SMTP server (aiosmtpd, scripts/smtp-sink.py) on loopback, checked with Python's
/// `email` parser on the receiving side.
@Suite("Delivery to a real SMTP server")
struct SMTPDeliveryTests {
    @Test("plain send: envelope, headers, both parts and the body round trip")
    func plainSend() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let message = Fixtures.message()
        let reply = try await SMTPClient(configuration: try SMTPConfiguration(url: sink.url(query: "helo=gusp.test"))).send(message)
        #expect(reply == "250 2.0.0 Message accepted for delivery")

        let stored = try #require(try sink.messages().first)
        #expect(stored.envelope.mailFrom == "noreply@gusp.example.org")
        #expect(stored.envelope.rcptTos == ["habitant@example.org"])
        #expect(stored.envelope.mailOptions.contains("BODY=7BIT"))
        #expect(stored.envelope.mailOptions.contains { $0.hasPrefix("SIZE=") })
        #expect(stored.envelope.helo == "gusp.test")
        #expect(!stored.envelope.tls)

        let parsed = stored.parsed
        #expect(parsed.defects.isEmpty, "parser defects: \(parsed.defects)")
        #expect(parsed.subject == message.subject)
        #expect(parsed.from == "Ville de Lyon – Signalements <noreply@gusp.example.org>")
        #expect(parsed.to == "Habitant Exemple <habitant@example.org>")
        #expect(parsed.header("Message-ID") == "<\(message.messageId)>")
        #expect(parsed.header("Date") == "Tue, 03 Dec 2024 14:29:00 +0000")
        #expect(parsed.header("List-Unsubscribe") == "<https://gusp.example.org/unsubscribe?token=abc123>")
        #expect(parsed.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
        #expect(parsed.header("Auto-Submitted") == "auto-generated")
        #expect(parsed.contentType == "multipart/alternative")
        #expect(parsed.parts.map(\.contentType) == ["text/plain", "text/html"])
        #expect(parsed.parts.allSatisfy { $0.charset == "utf-8" && $0.transferEncoding == "quoted-printable" })
        #expect(parsed.parts[0].text.lf == message.text)
        #expect(parsed.parts[1].text.lf == message.html)
        #expect(parsed.parts[0].text.contains("é à ç ’ €"))
        #expect(parsed.parts[0].text.lf.contains("\n.Cette ligne commence par un point.\n.\n"))
        #expect(parsed.parts[0].text.contains(Fixtures.longLine))
        // The stored message is what rendered() produces: dot-stuffing was undone exactly.
        #expect(stored.raw.contains("\r\n.Cette ligne commence par un point.\r\n.\r\n"))
    }

    @Test("header injection through subject and display names reaches no real parser")
    func injection() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        var message = Fixtures.message(
            to: MailAddress("habitant@example.org", name: "Habitant\r\nBcc: victim2@example.org"),
            subject: "Bonjour\r\nBcc: victim@example.org"
        )
        message.from.name = "Mairie\r\nCc: victim3@example.org"
        _ = try await SMTPClient(configuration: try SMTPConfiguration(url: sink.url())).send(message)
        let stored = try #require(try sink.messages().first)
        let names = stored.parsed.headerNames.map { $0.lowercased() }
        #expect(!names.contains("bcc") && !names.contains("cc"))
        #expect(names.filter { $0 == "subject" }.count == 1)
        #expect(stored.envelope.rcptTos == ["habitant@example.org"])
        #expect(stored.parsed.subject == "Bonjour Bcc: victim@example.org")
        #expect(stored.parsed.defects.isEmpty, "parser defects: \(stored.parsed.defects)")
    }

    @Test("a long French subject and a UTF-8 display name decode back in Python's parser")
    func encodedWordsRoundTrip() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let name = "Élodie Müller-Nguyễn, « Mairie » du 3ᵉ 😀"
        let message = Fixtures.message(to: MailAddress("elodie@example.org", name: name), subject: EncodedWordsTests.longFrenchSubject, html: nil)
        _ = try await SMTPClient(configuration: try SMTPConfiguration(url: sink.url())).send(message)
        let stored = try #require(try sink.messages().first)
        #expect(stored.parsed.subject == EncodedWordsTests.longFrenchSubject)
        #expect(stored.parsed.decoded["to"] == "\(name) <elodie@example.org>")
        #expect(stored.parsed.decoded["subject"] == EncodedWordsTests.longFrenchSubject)
        // Python's modern address parser keeps the white space between two encoded-words (RFC 2047 §6.2 says
        // to drop it); words end after a space, so it can only double one.
        let collapsed = (stored.parsed.to ?? "").split(separator: " ").joined(separator: " ")
        #expect(collapsed == "\"\(name)\" <elodie@example.org>")
        #expect(stored.parsed.contentType == "text/plain")
        #expect(stored.parsed.parts.first?.text.lf == message.text)
        #expect(stored.parsed.defects.isEmpty, "parser defects: \(stored.parsed.defects)")
    }

    @Test("a text without a final line break gets one; an empty subject is fine")
    func edgeBodies() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let message = Fixtures.message(subject: "", text: "Une ligne.", html: "<p>x</p>")
        _ = try await SMTPClient(configuration: try SMTPConfiguration(url: sink.url())).send(message)
        let stored = try #require(try sink.messages().first)
        #expect(stored.parsed.parts.map { $0.text.lf } == ["Une ligne.\n", "<p>x</p>\n"])
        #expect(stored.parsed.subject == "")
    }

    @Test("bounce@ is a permanent recipient failure (550)")
    func bounce() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let client = SMTPClient(configuration: try SMTPConfiguration(url: sink.url()))
        await #expect {
            try await client.send(Fixtures.message(to: MailAddress("bounce.user@example.org")))
        } throws: { error in
            guard case SMTPFailure.permanentRecipient(code: 550, let text) = error else { return false }
            return text.contains("5.1.1 no such user")
        }
        #expect(try sink.messages().isEmpty)
    }

    @Test("later@ is transient (451)")
    func later() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let client = SMTPClient(configuration: try SMTPConfiguration(url: sink.url()))
        await #expect(throws: SMTPFailure.transient("RCPT TO refused: 451 4.3.0 try again later")) {
            try await client.send(Fixtures.message(to: MailAddress("later@example.org")))
        }
    }

    @Test("a message over the server's SIZE limit is refused before DATA")
    func sizeLimit() async throws {
        let sink = try await SMTPSink.start(["--size-limit", "2000"])
        defer { sink.stop() }
        let client = SMTPClient(configuration: try SMTPConfiguration(url: sink.url()))
        await #expect {
            try await client.send(Fixtures.message())
        } throws: { error in
            guard case SMTPFailure.permanentMessage(code: 0, let text) = error else { return false }
            return text.contains("SIZE limit is 2000")
        }
    }

    @Test("an invalid recipient is refused without connecting; an invalid sender is configuration")
    func invalidAddresses() async throws {
        let client = SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: try await QuietServer.unusedPort()))
        await #expect {
            try await client.send(Fixtures.message(to: MailAddress("victim@example.org>\r\nRCPT TO:<x@y.org")))
        } throws: { error in
            guard case SMTPFailure.permanentRecipient(code: 0, _) = error else { return false }
            return true
        }
        var message = Fixtures.message()
        message.from = MailAddress("bad sender@example.org")
        await #expect {
            try await client.send(message)
        } throws: { error in
            guard case SMTPFailure.configuration(let text) = error else { return false }
            return text.contains("invalid mail address")
        }
    }

    @Test("one client sends several messages concurrently")
    func concurrent() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let client = SMTPClient(configuration: try SMTPConfiguration(url: sink.url()))
        try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<5 {
                group.addTask { try await client.send(Fixtures.message(to: MailAddress("user\(index)@example.org"))) }
            }
            for try await reply in group { #expect(reply.hasPrefix("250")) }
        }
        #expect(Set(try sink.messages().flatMap(\.envelope.rcptTos)) == Set((0..<5).map { "user\($0)@example.org" }))
    }
}
