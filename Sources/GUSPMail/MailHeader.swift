/// An extra header field of a ``MailMessage``, e.g. `MailHeader("Auto-Submitted", "auto-generated")`.
///
/// The name must be an RFC 5322 field name (printable ASCII, no space or colon, at most 76 characters) and not
/// one of the fields the renderer writes itself (``reservedNames``); the value is unstructured text: printable
/// ASCII stays as is (folded), anything else, line breaks included, is made safe (RFC 2047 encoded-words).
public struct MailHeader: Sendable, Equatable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// Field names the renderer owns (compared case-insensitively): an extra header may not replace or repeat
    /// them. `Cc`, `Bcc` and `Sender` are refused too, since the envelope would not match them.
    public static let reservedNames: Set<String> = [
        "date", "from", "to", "cc", "bcc", "sender", "subject", "message-id", "mime-version",
        "content-type", "content-transfer-encoding", "list-unsubscribe", "list-unsubscribe-post",
    ]

    /// Whether ``name`` is a well-formed field name that is not reserved.
    public var hasValidName: Bool {
        let bytes = Array(self.name.utf8)
        return (1...76).contains(bytes.count) && bytes.allSatisfy(MailSyntax.isFieldNameCharacter)
            && !Self.reservedNames.contains(self.name.lowercased())
    }
}
