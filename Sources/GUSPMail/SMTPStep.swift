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

    /// Steps whose 5xx reply is about this message or recipient (a hard bounce), not the configuration.
    var concernsMessage: Bool {
        switch self {
        case .mailFrom, .rcptTo, .data, .messageBody: true
        case .connect, .greeting, .ehlo, .startTLS, .auth: false
        }
    }
}
