import Foundation
import Testing

@testable import GUSPMail

@Suite("SMTP URL parsing")
struct SMTPConfigurationTests {
    @Test("smtp defaults: port 25, STARTTLS required (when offered on loopback), helo localhost, 30 s, verified TLS")
    func smtpDefaults() throws {
        let configuration = try SMTPConfiguration(url: "smtp://relay.example.org")
        #expect(configuration.host == "relay.example.org")
        #expect(configuration.port == 25)
        #expect(configuration.security == .startTLSRequired)
        #expect(try SMTPConfiguration(url: "smtp://relay.example.org?starttls=offered").security == .startTLSWhenOffered)
        for loopback in ["smtp://127.0.0.1:2525", "smtp://localhost", "smtp://[::1]:25"] {
            #expect(try SMTPConfiguration(url: loopback).security == .startTLSWhenOffered, "\(loopback)")
        }
        #expect(configuration.username == nil && configuration.password == nil)
        #expect(configuration.heloName == "localhost")
        #expect(configuration.timeout == .seconds(30))
        #expect(configuration.trustedCAFile == nil && configuration.verifyCertificates)
    }

    @Test("smtps defaults: port 465, implicit TLS; explicit ports and IPv6 hosts")
    func smtpsAndPorts() throws {
        let smtps = try SMTPConfiguration(url: "SMTPS://relay.example.org/")
        #expect(smtps.port == 465 && smtps.security == .implicitTLS)
        #expect(try SMTPConfiguration(url: "smtp://relay:587").port == 587)
        let ipv6 = try SMTPConfiguration(url: "smtp://[::1]:2525")
        #expect(ipv6.host == "::1" && ipv6.port == 2525)
        #expect(try SMTPConfiguration(url: "smtp://[2001:db8::1]").port == 25)
    }

    @Test("userinfo is percent-decoded; the password may hold @ : / ? and UTF-8")
    func credentials() throws {
        let configuration = try SMTPConfiguration(url: "smtp://ville%40lyon.fr:p%40ss%3Aw%2Fo%3Frd%C3%A9+x@relay.example.org:587")
        #expect(configuration.username == "ville@lyon.fr")
        #expect(configuration.password == "p@ss:w/o?rdé+x")
        #expect(configuration.host == "relay.example.org" && configuration.port == 587)
        #expect(try SMTPConfiguration(url: "smtp://user:@relay").password == "")
        #expect(!configuration.description.contains("p@ss"))
    }

    @Test("options: starttls, helo, ca_file, verify, timeout")
    func options() throws {
        let caFile = FileManager.default.temporaryDirectory.appendingPathComponent("gusp-ca-\(UUID().uuidString).pem").path
        _ = FileManager.default.createFile(atPath: caFile, contents: Data("x".utf8))
        defer { try? FileManager.default.removeItem(atPath: caFile) }
        let configuration = try SMTPConfiguration(url: "smtp://relay?starttls=required&helo=gusp.lyon.fr&ca_file=\(caFile)&verify=false&timeout=1.5")
        #expect(configuration.security == .startTLSRequired)
        #expect(configuration.heloName == "gusp.lyon.fr")
        #expect(configuration.trustedCAFile == caFile)
        #expect(!configuration.verifyCertificates)
        #expect(configuration.timeout == .milliseconds(1500))
        #expect(try SMTPConfiguration(url: "smtp://relay?starttls=never").security == SMTPConfiguration.Security.none)
        #expect(try SMTPConfiguration(url: "smtp://relay?helo=%5B192.0.2.1%5D").heloName == "[192.0.2.1]")
    }

    @Test(
        "errors name what is wrong",
        arguments: [
            ("http://relay", "unsupported scheme 'http'"),
            ("relay.example.org", "expected smtp://host"),
            ("smtp://", "host is missing"),
            ("smtp://:25", "host is missing"),
            ("smtp://relay:0", "port '0'"),
            ("smtp://relay:70000", "port '70000'"),
            ("smtp://relay:abc", "port 'abc'"),
            ("smtp://re lay", "spaces"),
            ("smtp://relay/path", "path is not allowed"),
            ("smtp://relay#frag", "fragment"),
            ("smtp://user@relay", "no password"),
            ("smtp://us%ZZer:pw@relay", "user name"),
            ("smtp://user:p%C3@relay", "password is not valid"),
            ("smtp://user:pa/ss@relay", "percent-encode"),
            ("smtp://relay?starttls=maybe", "starttls must be"),
            ("smtps://relay?starttls=required", "does not apply to smtps"),
            ("smtp://relay?helo=bad%20name", "helo 'bad name'"),
            ("smtp://relay?ca_file=/nonexistent/ca.pem", "ca_file '/nonexistent/ca.pem' does not exist"),
            ("smtp://relay?verify=nope", "verify must be"),
            ("smtp://relay?timeout=-1", "timeout must be"),
            ("smtp://relay?bogus=1", "unknown option 'bogus'"),
            ("smtp://relay?helo=a&helo=b", "given twice"),
            ("smtp://relay?verify", "needs a value"),
            ("smtp://[::1", "closing ']'"),
            ("smtp://re_lay", "not a valid host name"),
        ]
    )
    func errors(url: String, expected: String) {
        do {
            _ = try SMTPConfiguration(url: url)
            Issue.record("\(url) was accepted")
        } catch {
            #expect(error.description.contains(expected), "\(url): \(error.description)")
            #expect(error.description.hasPrefix("invalid SMTP URL"))
        }
    }

    @Test("errors never echo the password")
    func noPasswordInErrors() {
        for url in ["smtp://user:s3cr%ZZet@relay", "smtp://user:s3cr/et@relay", "smtp://user:s3cr?et@relay", "smtp://user:s3cr#et@relay"] {
            do {
                _ = try SMTPConfiguration(url: url)
                Issue.record("\(url) was accepted")
            } catch {
                #expect(!error.description.contains("s3cr"), "\(error.description)")
            }
        }
    }
}
