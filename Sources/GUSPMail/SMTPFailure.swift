/// What went wrong sending, classified for the caller's retry logic.
///
/// Messages name the step and quote the server's reply; they never contain the password.
public enum SMTPFailure: Error, Equatable, CustomStringConvertible {
    /// 4xx reply, connection refused/reset/timeout, TLS failure other than certificate verification, or a
    /// malformed server reply: try again later.
    case transient(String)
    /// 5xx reply to MAIL FROM/RCPT TO/DATA for this recipient or message: never retry this message to this
    /// address (a hard bounce). `code` is the server's reply code, or 0 when GUSPMail refused the recipient
    /// itself before connecting (an address it cannot send to, see ``MailAddress``).
    case permanentRecipient(code: Int, String)
    /// 5xx to EHLO/AUTH/STARTTLS, authentication refused, STARTTLS required but not offered, credentials that
    /// would travel unencrypted, TLS certificate verification failed, or an unusable message or setting:
    /// permanent for the configuration; retry later after the admin fixes it (treat as transient, log loudly).
    case configuration(String)

    /// Whether the caller may try this message again later: true except for ``permanentRecipient(code:_:)``.
    public var isRetryable: Bool {
        if case .permanentRecipient = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .transient(let message): "SMTP transient failure: \(message)"
        case .permanentRecipient(let code, let message): "SMTP permanent failure for the recipient (\(code)): \(message)"
        case .configuration(let message): "SMTP configuration problem: \(message)"
        }
    }
}
