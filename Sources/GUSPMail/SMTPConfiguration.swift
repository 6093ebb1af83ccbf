/// Where and how to send, usually parsed from a URL such as `smtp://user:pass@relay.example.org:587` or
/// `smtps://relay:465` (see ``init(url:)``).
public struct SMTPConfiguration: Sendable, CustomStringConvertible {
    /// How the connection is protected.
    public enum Security: Sendable, Equatable {
        /// Plain connection upgraded with STARTTLS when the server offers it (scheme `smtp`, the default).
        /// Credentials are only sent once TLS is up: a server that offers no STARTTLS gets no AUTH.
        case startTLSWhenOffered
        /// STARTTLS or fail (`starttls=required`).
        case startTLSRequired
        /// TLS from the first byte (scheme `smtps`, RFC 8314).
        case implicitTLS
        /// Never TLS (`starttls=never`), credentials included: for test servers and trusted local relays only.
        case none
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// The EHLO argument: a host name or an address literal such as `[192.0.2.1]`.
    public var heloName: String
    /// Limit for the connection (TCP and TLS) and for every reply, each on its own.
    public var timeout: Duration
    /// Extra trusted CA certificates (PEM file path) for TLS, e.g. a city's internal CA; nil = system roots only.
    public var trustedCAFile: String?
    /// Verify the server's certificate chain and host name. Turn off for test servers only.
    public var verifyCertificates: Bool

    public init(
        host: String,
        port: Int,
        security: Security = .startTLSWhenOffered,
        username: String? = nil,
        password: String? = nil,
        heloName: String = "localhost",
        timeout: Duration = .seconds(30),
        trustedCAFile: String? = nil,
        verifyCertificates: Bool = true
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.heloName = heloName
        self.timeout = timeout
        self.trustedCAFile = trustedCAFile
        self.verifyCertificates = verifyCertificates
    }

    /// A summary for logs, with the password left out.
    public var description: String {
        let scheme = self.security == .implicitTLS ? "smtps" : "smtp"
        let user = self.username.map { "\($0):***@" } ?? ""
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "\(scheme)://\(user)\(host):\(self.port) (security: \(self.security), helo: \(self.heloName), "
            + "timeout: \(self.timeout), ca_file: \(self.trustedCAFile ?? "none"), verify: \(self.verifyCertificates))"
    }
}

/// Why an SMTP URL was refused; ``description`` names what is wrong (never the password).
public struct SMTPConfigurationError: Error, CustomStringConvertible, Equatable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
