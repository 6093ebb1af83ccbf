/// A step of the SMTP dialogue, for failure messages and for classifying negative replies.
enum SMTPStep: Sendable {
    case connect, greeting, ehlo, startTLS, auth, mailFrom, rcptTo, data, messageBody

    var name: String {
        switch self {
        case .connect: "connect"
        case .greeting: "greeting"
        case .ehlo: "EHLO"
        case .startTLS: "STARTTLS"
        case .auth: "AUTH"
        case .mailFrom: "MAIL FROM"
        case .rcptTo: "RCPT TO"
        case .data: "DATA"
        case .messageBody: "end of DATA"
        }
    }

    /// What a 5xx reply to this step is about: the recipient (RCPT TO: a hard bounce), the message (DATA and
    /// its end: a content filter, the size), or the configuration (every other step, MAIL FROM included: a
    /// relay refusing the sender refuses every message, and must not be read as every recipient bouncing).
    enum Blame { case recipient, message, configuration }

    var blame: Blame {
        switch self {
        case .rcptTo: .recipient
        case .data, .messageBody: .message
        case .connect, .greeting, .ehlo, .startTLS, .auth, .mailFrom: .configuration
        }
    }
}
