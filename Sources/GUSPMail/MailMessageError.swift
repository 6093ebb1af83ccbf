/// Why a ``MailMessage`` cannot be rendered. Nothing is sent for such a message.
public enum MailMessageError: Error, Equatable, CustomStringConvertible {
    /// The `from` or `to` address is not a plain ASCII addr-spec (see ``MailAddress``).
    case invalidAddress(String)
    /// An extra header name is malformed or reserved (see ``MailHeader``).
    case invalidHeaderName(String)
    /// The Message-ID is not `left@right` in printable ASCII without spaces, angle brackets or quotes.
    case invalidMessageId(String)
    /// The unsubscribe URL is not an `https:` (or `http:`) URL of printable ASCII without spaces or angle brackets.
    case invalidUnsubscribeURL(String)

    public var description: String {
        switch self {
        case .invalidAddress(let address): "invalid mail address \(MailMessageError.quoted(address))"
        case .invalidHeaderName(let name): "invalid or reserved header name \(MailMessageError.quoted(name))"
        case .invalidMessageId(let id): "invalid Message-ID \(MailMessageError.quoted(id))"
        case .invalidUnsubscribeURL(let url): "invalid unsubscribe URL \(MailMessageError.quoted(url))"
        }
    }

    /// The offending value, quoted with control characters escaped so a log line stays one line.
    static func quoted(_ value: String) -> String {
        String(reflecting: String(value.prefix(200)))
    }
}
