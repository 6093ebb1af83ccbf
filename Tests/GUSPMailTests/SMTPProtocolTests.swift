import NIOCore
import Testing

@testable import GUSPMail

@Suite("SMTP replies, extensions and DATA encoding")
struct SMTPProtocolTests {
    @Test("multi-line replies assemble; single lines complete at once")
    func multiLine() throws {
        var assembler = SMTPReplyAssembler()
        #expect(try assembler.add("250-sink.localhost") == nil)
        #expect(try assembler.add("250-SIZE 33554432") == nil)
        #expect(!assembler.isEmpty)
        let reply = try #require(try assembler.add("250 8BITMIME"))
        #expect(reply == SMTPReply(code: 250, lines: ["sink.localhost", "SIZE 33554432", "8BITMIME"]))
        #expect(assembler.isEmpty)
        #expect(try assembler.add("354") == SMTPReply(code: 354, lines: [""]))
        #expect(try assembler.add("221 2.0.0 Bye")?.description == "221 2.0.0 Bye")
    }

    @Test("malformed lines and mixed codes are errors", arguments: ["", "25", "abc", "2500 x", "650 x", "250x", "HTTP/1.1 200 OK"])
    func malformed(line: String) {
        var assembler = SMTPReplyAssembler()
        #expect(throws: SMTPReplyError.self) { try assembler.add(line) }
    }

    @Test("a continuation with another code is an error, and replies are bounded in lines")
    func mixedAndBounded() throws {
        var assembler = SMTPReplyAssembler()
        _ = try assembler.add("250-a")
        #expect(throws: SMTPReplyError.self) { try assembler.add("251 b") }
        var long = SMTPReplyAssembler()
        #expect(throws: SMTPReplyError.tooManyLines) {
            for index in 0...SMTPReplyAssembler.maximumLines { _ = try long.add("250-line \(index)") }
        }
    }

    @Test("EHLO extensions: STARTTLS, AUTH (both forms), 8BITMIME, SMTPUTF8, SIZE")
    func extensions() {
        let reply = SMTPReply(
            code: 250,
            lines: [
                "mx.example.org greets you", "STARTTLS", "auth login Plain", "AUTH=CRAM-MD5", "8BITMIME", "SMTPUTF8", "SIZE 1000", "PIPELINING",
            ])
        let extensions = SMTPServerExtensions(ehloReply: reply)
        #expect(extensions.supportsStartTLS)
        #expect(extensions.authMechanisms == ["LOGIN", "PLAIN", "CRAM-MD5"])
        #expect(extensions.supports8BitMIME && extensions.supportsSMTPUTF8)
        #expect(extensions.supportsSize && extensions.maximumSize == 1000)
        let bare = SMTPServerExtensions(ehloReply: SMTPReply(code: 250, lines: ["STARTTLS-looking greeting", "SIZE"]))
        #expect(!bare.supportsStartTLS && bare.authMechanisms.isEmpty && bare.supportsSize && bare.maximumSize == nil)
    }

    @Test("AUTH mechanism choice and encodings")
    func authentication() {
        #expect(SMTPAuthentication.mechanism(offered: ["LOGIN", "PLAIN"]) == .plain)
        #expect(SMTPAuthentication.mechanism(offered: ["LOGIN", "CRAM-MD5"]) == .login)
        #expect(SMTPAuthentication.mechanism(offered: ["CRAM-MD5"]) == nil)
        #expect(SMTPAuthentication.plainResponse(username: "user", password: "pässword") == "AHVzZXIAcMOkc3N3b3Jk")
        #expect(SMTPAuthentication.loginResponse("user") == "dXNlcg==")
    }

    @Test("DATA payload: dot-stuffing, CRLF, terminator")
    func dotStuffing() {
        func payload(_ text: String) -> String { String(buffer: SMTPDataEncoding.payload(text)) }
        #expect(payload("a\r\n.b\r\n.\r\n..c\r\n") == "a\r\n..b\r\n..\r\n...c\r\n.\r\n")
        #expect(payload(".first") == "..first\r\n.\r\n")
        #expect(payload("bare\nlf\rcr") == "bare\r\nlf\r\ncr\r\n.\r\n")
        #expect(payload("") == ".\r\n")
        #expect(payload("x.\r\n") == "x.\r\n.\r\n")
    }

    @Test("failure classification by step and code")
    func classification() {
        let bounce = SMTPFailure(unexpected: SMTPReply(code: 550, lines: ["no"]), step: .rcptTo)
        #expect(bounce == .permanentRecipient(code: 550, "RCPT TO refused: 550 no"))
        // A content filter refusing the message is not the address's fault; a relay refusing the sender is configuration.
        #expect(
            SMTPFailure(unexpected: SMTPReply(code: 554, lines: ["spam"]), step: .messageBody)
                == .permanentMessage(code: 554, "end of DATA refused: 554 spam"))
        #expect(SMTPFailure(unexpected: SMTPReply(code: 554, lines: ["no"]), step: .data) == .permanentMessage(code: 554, "DATA refused: 554 no"))
        #expect(SMTPFailure(unexpected: SMTPReply(code: 550, lines: ["sender"]), step: .mailFrom) == .configuration("MAIL FROM refused: 550 sender"))
        #expect(!SMTPFailure.permanentMessage(code: 554, "x").isRetryable)
        #expect(SMTPFailure(unexpected: SMTPReply(code: 451, lines: ["later"]), step: .rcptTo) == .transient("RCPT TO refused: 451 later"))
        #expect(SMTPFailure(unexpected: SMTPReply(code: 530, lines: ["auth"]), step: .mailFrom) == .configuration("MAIL FROM refused: 530 auth"))
        #expect(SMTPFailure(unexpected: SMTPReply(code: 502, lines: ["no"]), step: .ehlo) == .configuration("EHLO refused: 502 no"))
        #expect(SMTPFailure(unexpected: SMTPReply(code: 354, lines: [""]), step: .mailFrom) == .transient("unexpected reply to MAIL FROM: 354"))
        #expect(!SMTPFailure.permanentRecipient(code: 550, "x").isRetryable && SMTPFailure.configuration("x").isRetryable)
    }
}
