/// Failures of the connection itself (not negative replies), mapped to ``SMTPFailure`` by the client.
enum SMTPConnectionError: Error {
    /// No complete reply within the configured timeout.
    case timeout
    /// The server closed the connection while a reply was awaited.
    case closedByServer
    /// A reply line longer than ``SMTPLineDecoder/maximumLineLength``.
    case replyLineTooLong
    /// A reply that is not valid SMTP.
    case malformedReply(SMTPReplyError)
    /// A reply arrived when none was asked for (a desynchronized or hostile server).
    case unexpectedReply(SMTPReply)
    /// Plaintext data followed the 220 reply to STARTTLS (RFC 3207 §5).
    case dataAfterStartTLS
    /// A channel or TLS error.
    case channel(any Error)
}
