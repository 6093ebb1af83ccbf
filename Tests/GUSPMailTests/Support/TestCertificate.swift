import Foundation
import GUSPTestSupport

/// A throwaway self-signed certificate (by default for `localhost` and 127.0.0.1), made with the openssl CLI
/// in a temporary folder that goes away with the value.
final class TestCertificate {
    let certificatePath: String
    let keyPath: String
    private let directory: URL

    private init(certificatePath: String, keyPath: String, directory: URL) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.directory = directory
    }

    deinit {
        try? FileManager.default.removeItem(at: self.directory)
    }

    struct OpenSSLError: Error, CustomStringConvertible {
        var description: String
    }

    /// Creates the key and certificate in a new temporary folder.
    static func make(commonName: String = "localhost", ipAddress: String = "127.0.0.1") throws -> TestCertificate {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gusp-smtp-cert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=\(commonName)",
            "-addext", "subjectAltName=DNS:\(commonName),IP:\(ipAddress)",
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw OpenSSLError(description: "cannot run /usr/bin/openssl (needed for the TLS tests): \(error)")
        }
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OpenSSLError(description: "openssl failed: \(String(decoding: output, as: UTF8.self))")
        }
        return TestCertificate(certificatePath: certificate, keyPath: key, directory: directory)
    }

    /// Sink options that offer STARTTLS (or implicit TLS) with this certificate.
    var sinkOptions: [String] {
        ["--tls-cert", self.certificatePath, "--tls-key", self.keyPath]
    }
}
