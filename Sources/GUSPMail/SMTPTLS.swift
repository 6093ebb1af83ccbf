import NIOCore
import NIOSSL

/// The client TLS setup of an ``SMTPConfiguration``.
enum SMTPTLS {
    /// TLS 1.2 or later; system roots plus ``SMTPConfiguration/trustedCAFile``; chain and host name verified
    /// unless ``SMTPConfiguration/verifyCertificates`` is false.
    static func makeContext(_ configuration: SMTPConfiguration) throws(SMTPFailure) -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if !configuration.verifyCertificates {
            tls.certificateVerification = .none
        }
        if let path = configuration.trustedCAFile {
            do {
                let certificates = try NIOSSLCertificate.fromPEMFile(path)
                guard !certificates.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
                tls.additionalTrustRoots = [.certificates(certificates)]
            } catch {
                throw .configuration("cannot read the trusted CA file '\(path)': \(error)")
            }
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw .configuration("cannot set up TLS: \(error)")
        }
    }

    /// The SNI name: the host, unless it is an IP address (SNI takes names only; the certificate is then
    /// checked against the address).
    static func serverHostname(for host: String) -> String? {
        let isIPv4 =
            host.split(separator: ".", omittingEmptySubsequences: false).count == 4
            && host.allSatisfy { $0.isNumber || $0 == "." }
        return isIPv4 || host.contains(":") ? nil : host
    }

    /// Whether a TLS error means the server's certificate was not accepted (a configuration problem).
    static func isCertificateFailure(_ error: any Error) -> Bool {
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname { return true }
        if case NIOSSLError.noCertificateToValidate = error { return true }
        let text = String(describing: error)
        return text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed")
    }
}
