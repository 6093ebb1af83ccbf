/// What went wrong sending, classified for the caller's retry logic.
///
/// Messages name the step and quote the server's reply; they never contain the password.
public enum SMTPFailure: Error, Equatable, CustomStringConvertible {
    /// 4xx reply, connection refused/reset/timeout, TLS failure other than certificate verification, or a
    /// malformed server reply: try again later.
    case transient(String)
    /// 5xx reply to RCPT TO: the address is refused for good (a hard bounce); no mail should go to it again.
    /// `code` is the server's reply code, or 0 when GUSPMail refused the recipient itself before connecting
    /// (an address it cannot send to, see ``MailAddress``).
    case permanentRecipient(code: Int, String)
    /// 5xx reply to DATA or to the end of the message (a content filter, the size): this message will not
    /// go, but the address is not to blame. `code` is 0 when GUSPMail refused it before sending (over SIZE).
    case permanentMessage(code: Int, String)
    /// 5xx to EHLO/AUTH/STARTTLS, authentication refused, STARTTLS required but not offered, credentials that
    /// would travel unencrypted, TLS certificate verification failed, or an unusable message or setting:
    /// permanent for the configuration; retry later after the admin fixes it (treat as transient, log loudly).
    case configuration(String)

    /// Whether the caller may try this message again later: true except for the two permanent cases.
    public var isRetryable: Bool {
        switch self {
        case .permanentRecipient, .permanentMessage: false
        case .transient, .configuration: true
        }
    }

    public var description: String {
        switch self {
        case .transient(let message): "SMTP transient failure: \(message)"
        case .permanentRecipient(let code, let message): "SMTP permanent failure for the recipient (\(code)): \(message)"
        case .permanentMessage(let code, let message): "SMTP permanent failure for the message (\(code)): \(message)"
        case .configuration(let message): "SMTP configuration problem: \(message)"
        }
    }
}
