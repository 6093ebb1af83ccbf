/// A mailbox: an address and an optional display name (UTF-8 allowed in the name).
///
/// The address must be a plain ASCII addr-spec (`local@domain`, RFC 5322 §3.4.1 dot-atom form): no display
/// name, no angle brackets, no spaces or control characters, no quoted local part, exactly one `@`.
/// Internationalized addresses (UTF-8 local part or domain, RFC 6531 SMTPUTF8) are refused in this version
/// with ``MailMessageError/invalidAddress(_:)``; the display name may hold any text.
public struct MailAddress: Sendable, Equatable, Hashable {
    public var address: String
    public var name: String?

    public init(_ address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }

    /// Whether ``address`` is an addr-spec this library will put in a header and in the SMTP envelope.
    public var isValid: Bool {
        Self.isValidAddrSpec(self.address)
    }

    /// Checks the addr-spec rules described on the type (lengths from RFC 5321 §4.5.3.1).
    static func isValidAddrSpec(_ address: String) -> Bool {
        let bytes = Array(address.utf8)
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), bytes.lastIndex(of: UInt8(ascii: "@")) == at else {
            return false
        }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        return (1...64).contains(local.count) && MailSyntax.isDotAtom(local) && (1...255).contains(domain.count) && isDomain(domain)
    }

    /// A host name (letters, digits, hyphens in dot-separated labels) or an address literal such as `[192.0.2.1]`.
    private static func isDomain(_ bytes: ArraySlice<UInt8>) -> Bool {
        if bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") {
            let inner = bytes.dropFirst().dropLast()
            return !inner.isEmpty
                && inner.allSatisfy { byte in
                    MailSyntax.isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
                }
        }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            (1...63).contains(label.count) && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
                && label.allSatisfy { MailSyntax.isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
    }
}
