import Foundation
import GUSPTestSupport
import Testing

@testable import GUSPMail

/// AUTH against the sink (aiosmtpd), after STARTTLS as a real submission server would require.
@Suite("Authentication")
struct SMTPAuthTests {
    private func url(_ sink: SMTPSink, _ certificate: TestCertificate, userinfo: String) -> String {
        sink.url(host: "localhost", userinfo: userinfo, query: "ca_file=\(certificate.certificatePath)")
    }

    @Test("AUTH PLAIN when offered (with LOGIN too), percent-decoded credentials")
    func plain() async throws {
        let certificate = try TestCertificate.make()
        let sink = try await SMTPSink.start(certificate.sinkOptions + ["--auth", "ville@lyon.fr:pa:ss wörd"])
        defer { sink.stop() }
        let configuration = try SMTPConfiguration(url: self.url(sink, certificate, userinfo: "ville%40lyon.fr:pa%3Ass%20w%C3%B6rd"))
        _ = try await SMTPClient(configuration: configuration).send(Fixtures.message())
        let stored = try #require(try sink.messages().first)
        #expect(stored.envelope.auth == "PLAIN:ville@lyon.fr")
        #expect(stored.envelope.tls)
    }

    @Test("AUTH LOGIN when PLAIN is not offered")
    func login() async throws {
        let certificate = try TestCertificate.make()
        let sink = try await SMTPSink.start(certificate.sinkOptions + ["--auth", "user:secret", "--auth-mechanisms", "LOGIN"])
        defer { sink.stop() }
        let configuration = try SMTPConfiguration(url: self.url(sink, certificate, userinfo: "user:secret"))
        _ = try await SMTPClient(configuration: configuration).send(Fixtures.message())
        #expect(try sink.messages().first?.envelope.auth == "LOGIN:user")
    }

    @Test("a wrong password is a configuration failure (535), for both mechanisms", arguments: ["PLAIN", "LOGIN"])
    func wrongPassword(mechanism: String) async throws {
        let certificate = try TestCertificate.make()
        let sink = try await SMTPSink.start(certificate.sinkOptions + ["--auth", "user:secret", "--auth-mechanisms", mechanism])
        defer { sink.stop() }
        let client = SMTPClient(configuration: try SMTPConfiguration(url: self.url(sink, certificate, userinfo: "user:wrong")))
        await #expect {
            try await client.send(Fixtures.message())
        } throws: { error in
            guard case SMTPFailure.configuration(let text) = error else { return false }
            return text.contains("refused AUTH \(mechanism)") && text.contains("535") && !text.contains("wrong")
        }
        #expect(try sink.messages().isEmpty)
    }

    @Test("credentials are never sent unencrypted unless starttls=never")
    func noPlaintextCredentials() async throws {
        let sink = try await SMTPSink.start(["--auth", "user:secret", "--auth-allow-plaintext"])
        defer { sink.stop() }
        let client = SMTPClient(configuration: try SMTPConfiguration(url: sink.url(userinfo: "user:secret")))
        await #expect {
            try await client.send(Fixtures.message())
        } throws: { error in
            guard case SMTPFailure.configuration(let text) = error else { return false }
            return text.contains("refusing to send the password unencrypted")
        }
        let explicit = SMTPClient(configuration: try SMTPConfiguration(url: sink.url(userinfo: "user:secret", query: "starttls=never")))
        _ = try await explicit.send(Fixtures.message())
        let stored = try #require(try sink.messages().first)
        #expect(stored.envelope.auth == "PLAIN:user" && !stored.envelope.tls)
    }

    @Test("credentials for a server that offers no AUTH are a configuration failure")
    func noAuthOffered() async throws {
        // aiosmtpd offers AUTH only over TLS by default; starttls=never keeps this connection plain.
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let client = SMTPClient(configuration: try SMTPConfiguration(url: sink.url(userinfo: "user:secret", query: "starttls=never")))
        await #expect {
            try await client.send(Fixtures.message())
        } throws: { error in
            guard case SMTPFailure.configuration(let text) = error else { return false }
            return text.contains("offers no AUTH PLAIN or LOGIN (offers: no AUTH)")
        }
        #expect(try sink.messages().isEmpty)
    }
}
