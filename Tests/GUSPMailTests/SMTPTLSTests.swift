import Foundation
import GUSPTestSupport
import Testing

@testable import GUSPMail

/// STARTTLS and implicit TLS against the sink with a throwaway self-signed certificate for `localhost`,
/// trusted through `ca_file`, so that chain and host name verification really run.
///
/// A certificate that does not verify (unknown CA, wrong name) is ``SMTPFailure/configuration(_:)``: it will
/// not fix itself, so the admin must hear of it; other TLS failures are transient.
@Suite("TLS")
struct SMTPTLSTests {
    @Test("STARTTLS when offered, verified against ca_file")
    func startTLSWhenOffered() async throws {
        let certificate = try TestCertificate.make()
        let sink = try await SMTPSink.start(certificate.sinkOptions)
        defer { sink.stop() }
        let configuration = try SMTPConfiguration(url: sink.url(host: "localhost", query: "ca_file=\(certificate.certificatePath)"))
        _ = try await SMTPClient(configuration: configuration).send(Fixtures.message())
        let stored = try #require(try sink.messages().first)
        #expect(stored.envelope.tls)
        #expect(stored.parsed.subject == Fixtures.message().subject)
    }

    @Test("starttls=required against a server without STARTTLS is a configuration failure")
    func startTLSRequiredButNotOffered() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let client = SMTPClient(configuration: try SMTPConfiguration(url: sink.url(query: "starttls=required")))
        await #expect {
            try await client.send(Fixtures.message())
        } throws: { error in
            guard case SMTPFailure.configuration(let text) = error else { return false }
            return text.contains("does not offer STARTTLS")
        }
        #expect(try sink.messages().isEmpty)
    }

    @Test("starttls=never against a server that requires TLS: 530 is a configuration failure")
    func serverRequiresTLS() async throws {
        let certificate = try TestCertificate.make()
        let sink = try await SMTPSink.start(certificate.sinkOptions + ["--require-tls"])
        defer { sink.stop() }
        let client = SMTPClient(configuration: try SMTPConfiguration(url: sink.url(query: "starttls=never")))
        await #expect {
            try await client.send(Fixtures.message())
        } throws: { error in
            guard case SMTPFailure.configuration(let text) = error else { return false }
            return text.contains("530")
        }
        let required = try SMTPConfiguration(url: sink.url(host: "localhost", query: "starttls=required&ca_file=\(certificate.certificatePath)"))
        _ = try await SMTPClient(configuration: required).send(Fixtures.message())
        #expect(try sink.messages().count == 1)
    }

    @Test("implicit TLS (smtps)")
    func implicitTLS() async throws {
        let certificate = try TestCertificate.make()
        let sink = try await SMTPSink.start(certificate.sinkOptions + ["--implicit-tls"])
        defer { sink.stop() }
        let configuration = try SMTPConfiguration(url: sink.url(scheme: "smtps", host: "localhost", query: "ca_file=\(certificate.certificatePath)"))
        #expect(configuration.security == .implicitTLS)
        _ = try await SMTPClient(configuration: configuration).send(Fixtures.message())
        #expect(try sink.messages().first?.envelope.tls == true)
    }

    @Test("an IP host is verified against the certificate's IP address")
    func ipHost() async throws {
        let certificate = try TestCertificate.make()
        let sink = try await SMTPSink.start(certificate.sinkOptions + ["--implicit-tls"])
        defer { sink.stop() }
        let configuration = try SMTPConfiguration(url: sink.url(scheme: "smtps", query: "ca_file=\(certificate.certificatePath)"))
        _ = try await SMTPClient(configuration: configuration).send(Fixtures.message())
        #expect(try sink.messages().count == 1)
    }

    @Test("verification fails with a wrong CA or with system roots only", arguments: [true, false])
    func verificationFails(withWrongCA: Bool) async throws {
        let certificate = try TestCertificate.make()
        let sink = try await SMTPSink.start(certificate.sinkOptions)
        defer { sink.stop() }
        let wrongCA = try TestCertificate.make()
        let query = withWrongCA ? "ca_file=\(wrongCA.certificatePath)" : "starttls=required"
        let client = SMTPClient(configuration: try SMTPConfiguration(url: sink.url(host: "localhost", query: query)))
        await #expect {
            try await client.send(Fixtures.message())
        } throws: { error in
            guard case SMTPFailure.configuration(let text) = error else { return false }
            return text.contains("TLS certificate of localhost:\(sink.port) not accepted")
        }
        #expect(try sink.messages().isEmpty)
        withExtendedLifetime(wrongCA) {}
    }

    @Test("verification fails when the trusted certificate names another host")
    func wrongName() async throws {
        let other = try TestCertificate.make(commonName: "other.example.org", ipAddress: "192.0.2.1")
        let sink = try await SMTPSink.start(other.sinkOptions + ["--implicit-tls"])
        defer { sink.stop() }
        let configuration = try SMTPConfiguration(url: sink.url(scheme: "smtps", host: "localhost", query: "ca_file=\(other.certificatePath)"))
        await #expect {
            try await SMTPClient(configuration: configuration).send(Fixtures.message())
        } throws: { error in
            guard case SMTPFailure.configuration(let text) = error else { return false }
            return text.contains("not accepted")
        }
    }

    @Test("verify=false accepts the unknown certificate (test servers only)")
    func verifyFalse() async throws {
        let certificate = try TestCertificate.make()
        let sink = try await SMTPSink.start(certificate.sinkOptions)
        defer { sink.stop() }
        let configuration = try SMTPConfiguration(url: sink.url(query: "starttls=required&verify=false"))
        _ = try await SMTPClient(configuration: configuration).send(Fixtures.message())
        #expect(try sink.messages().first?.envelope.tls == true)
    }

    @Test("an unreadable ca_file given in code is a configuration failure")
    func badCAFile() async throws {
        let certificate = try TestCertificate.make()
        let sink = try await SMTPSink.start(certificate.sinkOptions)
        defer { sink.stop() }
        var configuration = try SMTPConfiguration(url: sink.url(host: "localhost"))
        configuration.trustedCAFile = certificate.keyPath
        await #expect {
            try await SMTPClient(configuration: configuration).send(Fixtures.message())
        } throws: { error in
            guard case SMTPFailure.configuration(let text) = error else { return false }
            return text.contains("cannot read the trusted CA file")
        }
    }
}
