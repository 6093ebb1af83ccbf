import Foundation
import GUSPTestSupport
import Testing

@testable import GUSPMail

/// Servers that are not there, never speak, or speak nonsense: every case ends transient and bounded in time.
@Suite("Connection failures")
struct SMTPConnectionFailureTests {
    private func configuration(port: Int, timeout: Duration = .seconds(1)) -> SMTPConfiguration {
        SMTPConfiguration(host: "127.0.0.1", port: port, timeout: timeout)
    }

    @Test("nothing listening: transient, quickly")
    func notListening() async throws {
        let client = SMTPClient(configuration: self.configuration(port: try await QuietServer.unusedPort(), timeout: .seconds(10)))
        let started = ContinuousClock.now
        await #expect {
            try await client.send(Fixtures.message())
        } throws: { error in
            guard case SMTPFailure.transient(let text) = error else { return false }
            return text.contains("cannot connect to 127.0.0.1")
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test("a server that accepts but never speaks: transient after the timeout")
    func silentServer() async throws {
        let server = try await QuietServer.start()
        let client = SMTPClient(configuration: self.configuration(port: server.port))
        let started = ContinuousClock.now
        await #expect {
            try await client.send(Fixtures.message())
        } throws: { error in
            guard case SMTPFailure.transient(let text) = error else { return false }
            return text.contains("no reply from 127.0.0.1:\(server.port) to greeting within 1.0 seconds")
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(10))
        try await server.stop()
    }

    @Test(
        "a server that speaks nonsense fails cleanly",
        arguments: [
            ("HTTP/1.1 400 Bad Request\r\n\r\n", "malformed reply"),
            (String(repeating: "2", count: 5000), "reply line longer than"),
            ("554 5.3.2 no service\r\n", "greeting refused"),
            ("220 hi\r\n250 unasked\r\n", "unexpected reply"),
        ]
    )
    func nonsense(greeting: String, expected: String) async throws {
        let server = try await QuietServer.start(greeting: greeting)
        let client = SMTPClient(configuration: self.configuration(port: server.port))
        await #expect {
            try await client.send(Fixtures.message())
        } throws: { error in
            switch error as? SMTPFailure {
            case .transient(let text), .configuration(let text): text.contains(expected)
            default: false
            }
        }
        try await server.stop()
    }

    @Test("a server that closes after its greeting: transient")
    func closesAfterGreeting() async throws {
        let server = try await QuietServer.start(greeting: "220 bye at once\r\n", closeAfterGreeting: true)
        let client = SMTPClient(configuration: self.configuration(port: server.port))
        await #expect {
            try await client.send(Fixtures.message())
        } throws: { error in
            guard case SMTPFailure.transient(let text) = error else { return false }
            return text.contains("closed the connection during EHLO")
        }
        try await server.stop()
    }

    @Test(
        "plaintext after the 220 to STARTTLS is refused, never read as part of the TLS session (RFC 3207 §5)",
        arguments: ["220 go ahead\r\n250 injected\r\n", "220 go ahead\r\n250 inj"]
    )
    func startTLSInjection(reply: String) async throws {
        let server = try await QuietServer.start(greeting: "220 hi\r\n", replies: ["250-hi\r\n250 STARTTLS\r\n", reply])
        let client = SMTPClient(configuration: self.configuration(port: server.port))
        let expected = "127.0.0.1:\(server.port) sent plaintext after accepting STARTTLS (RFC 3207 §5); connection dropped"
        await #expect(throws: SMTPFailure.transient(expected)) {
            try await client.send(Fixtures.message())
        }
        try await server.stop()
    }

    @Test("a 5xx to EHLO is configuration; a 4xx to MAIL FROM is transient")
    func scriptedReplies() async throws {
        let refusing = try await QuietServer.start(greeting: "220 hi\r\n", replies: ["502 5.5.1 no EHLO here\r\n"])
        await #expect(throws: SMTPFailure.configuration("EHLO refused: 502 5.5.1 no EHLO here")) {
            try await SMTPClient(configuration: self.configuration(port: refusing.port)).send(Fixtures.message())
        }
        try await refusing.stop()
        let busy = try await QuietServer.start(greeting: "220 hi\r\n", replies: ["250 hi\r\n", "421 4.3.2 shutting down\r\n"])
        await #expect(throws: SMTPFailure.transient("MAIL FROM refused: 421 4.3.2 shutting down")) {
            try await SMTPClient(configuration: self.configuration(port: busy.port)).send(Fixtures.message())
        }
        try await busy.stop()
    }
}
