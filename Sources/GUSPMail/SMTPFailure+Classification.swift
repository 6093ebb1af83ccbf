import NIOCore
import NIOPosix
import NIOSSL

extension SMTPFailure {
    /// Classifies a reply that is not the one `step` expects (RFC 5321 §4.2.1): 4xx is transient; 5xx to RCPT
    /// TO is a hard bounce, to DATA or its end a refused message, except 530 (authentication or TLS required),
    /// which is configuration, as is 5xx to any other step (MAIL FROM included); anything else (e.g. 3xx where
    /// 2xx was due) is a transient protocol error.
    init(unexpected reply: SMTPReply, step: SMTPStep) {
        if reply.isTransientNegative {
            self = .transient("\(step.name) refused: \(reply)")
        } else if reply.isPermanentNegative && step.blame == .recipient && reply.code != 530 {
            self = .permanentRecipient(code: reply.code, "\(step.name) refused: \(reply)")
        } else if reply.isPermanentNegative && step.blame == .message && reply.code != 530 {
            self = .permanentMessage(code: reply.code, "\(step.name) refused: \(reply)")
        } else if reply.isPermanentNegative {
            self = .configuration("\(step.name) refused: \(reply)")
        } else {
            self = .transient("unexpected reply to \(step.name): \(reply)")
        }
    }

    /// Classifies a connection failure: TLS certificate rejection is configuration, everything else transient.
    init(_ error: SMTPConnectionError, step: SMTPStep, configuration: SMTPConfiguration) {
        let server = "\(configuration.host):\(configuration.port)"
        switch error {
        case .timeout:
            self = .transient("no reply from \(server) to \(step.name) within \(configuration.timeout)")
        case .closedByServer:
            self = .transient("\(server) closed the connection during \(step.name)")
        case .replyLineTooLong:
            self = .transient("\(server) sent a reply line longer than \(SMTPLineDecoder.maximumLineLength) bytes")
        case .malformedReply(.malformed(let line)):
            self = .transient("\(server) sent a malformed reply during \(step.name): \(line)")
        case .malformedReply(.tooManyLines):
            self = .transient("\(server) sent a reply of more than \(SMTPReplyAssembler.maximumLines) lines")
        case .unexpectedReply(let reply):
            self = .transient("\(server) sent an unexpected reply during \(step.name): \(reply)")
        case .dataAfterStartTLS:
            self = .transient("\(server) sent plaintext after accepting STARTTLS (RFC 3207 §5); connection dropped")
        case .channel(let underlying):
            self = Self(channelError: underlying, step: step, server: server, configuration: configuration)
        }
    }

    private init(channelError error: any Error, step: SMTPStep, server: String, configuration: SMTPConfiguration) {
        if SMTPTLS.isCertificateFailure(error) {
            let hint = configuration.trustedCAFile == nil ? " (set ca_file for a private CA)" : ""
            self = .configuration("TLS certificate of \(server) not accepted\(hint): \(error)")
        } else if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError {
            self = .transient("TLS failure with \(server) during \(step.name): \(error)")
        } else if case ChannelError.connectTimeout = error {
            self = .transient("cannot connect to \(server): timed out after \(configuration.timeout)")
        } else if step == .connect {
            self = .transient("cannot connect to \(server): \(error)")
        } else {
            self = .transient("connection to \(server) failed during \(step.name): \(error)")
        }
    }
}
