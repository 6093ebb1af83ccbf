import Foundation

/// SASL mechanisms for SMTP AUTH (RFC 4954): PLAIN (RFC 4616) and LOGIN, both only ever sent over TLS
/// unless the configuration says ``SMTPConfiguration/Security/none``.
enum SMTPAuthentication: String, Sendable, Equatable {
    case plain = "PLAIN"
    case login = "LOGIN"

    /// PLAIN when offered, else LOGIN, else nil.
    static func mechanism(offered: Set<String>) -> SMTPAuthentication? {
        if offered.contains("PLAIN") { return .plain }
        if offered.contains("LOGIN") { return .login }
        return nil
    }

    /// The PLAIN initial response: base64 of NUL, user name, NUL, password (no authorization identity).
    static func plainResponse(username: String, password: String) -> String {
        Data([0] + Array(username.utf8) + [0] + Array(password.utf8)).base64EncodedString()
    }

    /// A LOGIN answer (user name or password) to a 334 challenge.
    static func loginResponse(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
    }
}
