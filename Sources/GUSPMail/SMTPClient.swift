import NIOCore
import NIOPosix

/// Sends messages, one connection per ``send(_:)`` (simple and robust; no pooling). Thread-safe, Sendable.
///
/// Every step is bounded by ``SMTPConfiguration/timeout`` (connect, TLS handshake plus the following reply,
/// and each reply), and the connection is closed on every exit path. Cancelling the calling task does not
/// interrupt a step; the timeout does.
public final class SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    private let eventLoopGroup: any EventLoopGroup

    public init(configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
    }

    /// Connects, EHLO, STARTTLS if offered/required (then EHLO again), AUTH (PLAIN if advertised, else LOGIN;
    /// never over plain text unless security is ``SMTPConfiguration/Security/none``), MAIL FROM (BODY=7BIT
    /// and SIZE when advertised), RCPT TO, DATA with dot-stuffing, QUIT.
    ///
    /// The message is rendered first: one that cannot be rendered opens no connection (an invalid recipient
    /// address is ``SMTPFailure/permanentRecipient(code:_:)`` with code 0, anything else ``SMTPFailure/configuration(_:)``).
    /// SMTPUTF8 is never needed: addresses are ASCII and the rendered message is 7-bit.
    ///
    /// - Returns: the server's reply to the end of DATA, e.g. `250 2.0.0 Ok: queued as 4XyZ` (for logging).
    public func send(_ message: MailMessage) async throws(SMTPFailure) -> String {
        let rendered = try Self.render(message)
        let configuration = self.configuration
        let implicitTLS =
            configuration.security == .implicitTLS
            ? (context: try SMTPTLS.makeContext(configuration), serverHostname: SMTPTLS.serverHostname(for: configuration.host))
            : nil
        let connection: SMTPConnection
        do throws(SMTPConnectionError) {
            connection = try await SMTPConnection.connect(
                host: configuration.host,
                port: configuration.port,
                implicitTLS: implicitTLS,
                group: self.eventLoopGroup,
                timeout: configuration.timeout.timeAmount
            )
        } catch {
            throw SMTPFailure(error, step: .connect, configuration: configuration)
        }
        var dialogue = SMTPDialogue(connection: connection, configuration: configuration, isEncrypted: implicitTLS != nil)
        do throws(SMTPFailure) {
            let reply = try await dialogue.deliver(rendered, from: message.from.address, to: message.to.address)
            await connection.quitAndClose()
            return reply
        } catch {
            await connection.quitAndClose()
            throw error
        }
    }

    private static func render(_ message: MailMessage) throws(SMTPFailure) -> String {
        do {
            return try message.rendered()
        } catch .invalidAddress(let address) where address == message.to.address && !message.to.isValid {
            throw .permanentRecipient(code: 0, "refused before sending: \(MailMessageError.invalidAddress(address))")
        } catch {
            throw .configuration("message \(MailMessageError.quoted(message.messageId)) cannot be rendered: \(error)")
        }
    }
}

extension Duration {
    /// The same span as a NIO `TimeAmount` (at most about 30 years).
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = self.components
        let clamped = min(max(seconds, 0), 1_000_000_000)
        return .nanoseconds(clamped * 1_000_000_000 + (seconds >= 0 ? attoseconds / 1_000_000_000 : 0))
    }
}
