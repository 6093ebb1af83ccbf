import Foundation

extension SMTPConfiguration {
    /// Parses GUSP_SMTP_URL: `smtp://[user:password@]host[:port][?options]` (default port 25, STARTTLS
    /// required — a relay that does not offer it is refused, since an attacker on the path could strip the
    /// offer — except on a loopback host, where it is used when offered) or `smtps://...` (default port 465,
    /// implicit TLS). The user name and password are
    /// percent-decoded (write `@` as `%40`, `:` as `%3A`); a `+` is kept as is. An IPv6 host goes in brackets.
    ///
    /// Options, each at most once: `starttls=required|offered|never` (smtp only; `offered` uses it when the
    /// relay offers it), `helo=name`, `ca_file=/path/ca.pem`
    /// (must exist), `timeout=seconds`, and `verify=false`, which turns certificate checks off: for test servers
    /// only, never in production.
    public init(url: String) throws(SMTPConfigurationError) {
        var parser = SMTPURLParser(url)
        self = try parser.parse()
    }
}

/// The steps of ``SMTPConfiguration/init(url:)``.
private struct SMTPURLParser {
    /// 127.0.0.0/8, ::1 and localhost: a relay on the same machine, where nobody stands on the path.
    static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        return lowered == "localhost" || lowered == "::1" || lowered == "[::1]" || lowered.hasPrefix("127.")
    }

    private let url: String

    init(_ url: String) {
        self.url = url
    }

    mutating func parse() throws(SMTPConfigurationError) -> SMTPConfiguration {
        guard !url.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F })
        else { throw fail("it contains spaces or control characters") }
        guard let schemeEnd = url.range(of: "://") else {
            throw fail("expected smtp://host or smtps://host")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "smtp" || scheme == "smtps" else {
            throw fail("unsupported scheme '\(scheme)' (use smtp:// or smtps://)")
        }
        var rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
        if rest[authorityEnd...].contains("@") {
            // Most likely a password with a raw '/', '?' or '#': say so without echoing any of it.
            throw fail("'@' after the host: percent-encode '/', '?', '#' and '@' in the user name and password")
        }
        if rest.contains("#") { throw fail("a fragment (#...) is not allowed") }
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var authority = rest
        if let slash = rest.firstIndex(of: "/") {
            guard rest[slash...] == "/" else { throw fail("a path is not allowed after the host") }
            authority = rest[..<slash]
        }

        var username: String?
        var password: String?
        if let at = authority.lastIndex(of: "@") {
            (username, password) = try credentials(authority[..<at])
            authority = authority[authority.index(after: at)...]
        }
        let (host, explicitPort) = try hostAndPort(authority)
        let implicitTLS = scheme == "smtps"
        var configuration = SMTPConfiguration(
            host: host,
            port: explicitPort ?? (implicitTLS ? 465 : 25),
            security: implicitTLS ? .implicitTLS : (Self.isLoopback(host) ? .startTLSWhenOffered : .startTLSRequired),
            username: username,
            password: password
        )
        try apply(query, to: &configuration)
        return configuration
    }

    private func credentials(_ userinfo: Substring) throws(SMTPConfigurationError) -> (String, String) {
        guard let colon = userinfo.firstIndex(of: ":") else {
            throw fail("the user name has no password (write user:password@host)")
        }
        guard let user = percentDecoded(userinfo[..<colon]), !user.isEmpty else {
            throw fail("the user name is empty or not valid percent-encoded UTF-8")
        }
        guard let password = percentDecoded(userinfo[userinfo.index(after: colon)...]) else {
            throw fail("the password is not valid percent-encoded UTF-8")
        }
        return (user, password)
    }

    private func hostAndPort(_ authority: Substring) throws(SMTPConfigurationError) -> (String, Int?) {
        var host = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw fail("the IPv6 address has no closing ']'") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw fail("unexpected text after the IPv6 address") }
                portText = after.dropFirst()
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw fail("'\(host)' is not an IPv6 address")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        if !authority.hasPrefix("[") {
            guard !host.isEmpty else { throw fail("the host is missing") }
            guard host.utf8.count <= 253, host.utf8.allSatisfy({ MailSyntax.isAlphanumeric($0) || "-.".utf8.contains($0) })
            else { throw fail("'\(host)' is not a valid host name") }
        }
        guard let portText else { return (String(host), nil) }
        guard !portText.isEmpty, portText.allSatisfy(\.isASCII), let port = Int(portText), (1...65535).contains(port)
        else { throw fail("port '\(portText)' is not a number from 1 to 65535") }
        return (String(host), port)
    }

    private func apply(_ query: Substring, to configuration: inout SMTPConfiguration) throws(SMTPConfigurationError) {
        var seen: Set<String> = []
        for item in query.split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(pair[0]).lowercased()
            guard pair.count == 2, let value = percentDecoded(pair[1]), !value.isEmpty else {
                throw fail("option '\(key)' needs a value (\(key)=...)")
            }
            guard seen.insert(key).inserted else { throw fail("option '\(key)' is given twice") }
            switch key {
            case "starttls":
                guard configuration.security != .implicitTLS else {
                    throw fail("starttls does not apply to smtps:// (TLS from the start); use smtp:// for STARTTLS")
                }
                switch value.lowercased() {
                case "required": configuration.security = .startTLSRequired
                case "offered": configuration.security = .startTLSWhenOffered
                case "never": configuration.security = .none
                default: throw fail("starttls must be 'required', 'offered' or 'never', not '\(value)'")
                }
            case "helo":
                guard Self.isValidHeloName(value) else {
                    throw fail("helo '\(value)' is not a host name or an address literal like [192.0.2.1]")
                }
                configuration.heloName = value
            case "ca_file":
                guard FileManager.default.isReadableFile(atPath: value) else {
                    throw fail("ca_file '\(value)' does not exist or cannot be read")
                }
                configuration.trustedCAFile = value
            case "verify":
                switch value.lowercased() {
                case "false": configuration.verifyCertificates = false
                case "true": configuration.verifyCertificates = true
                default: throw fail("verify must be 'true' or 'false', not '\(value)'")
                }
            case "timeout":
                guard let seconds = Double(value), seconds > 0, seconds <= 3600 else {
                    throw fail("timeout must be a number of seconds from 0 to 3600, not '\(value)'")
                }
                configuration.timeout = .milliseconds(Int64((seconds * 1000).rounded()))
            default:
                throw fail("unknown option '\(key)' (known: starttls, helo, ca_file, verify, timeout)")
            }
        }
    }

    /// A host name (letters, digits, hyphens, dots) or an address literal in brackets.
    static func isValidHeloName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...255).contains(bytes.count) else { return false }
        if bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") {
            return bytes.count > 2
                && bytes.dropFirst().dropLast().allSatisfy { byte in
                    MailSyntax.isAlphanumeric(byte) || ".:".utf8.contains(byte)
                }
        }
        return bytes.allSatisfy { MailSyntax.isAlphanumeric($0) || "-.".utf8.contains($0) }
    }

    /// `%XX` sequences decoded; nil for a malformed escape or bytes that are not UTF-8.
    private func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private func fail(_ reason: String) -> SMTPConfigurationError {
        SMTPConfigurationError("invalid SMTP URL (GUSP_SMTP_URL): \(reason)")
    }
}
