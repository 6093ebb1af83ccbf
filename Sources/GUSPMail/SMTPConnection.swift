import NIOCore
import NIOPosix
import NIOSSL

/// One TCP (or TLS) connection to an SMTP server: connect, exchange commands and replies, upgrade with
/// STARTTLS, close. Every wait is bounded by the timeout; failures come out as ``SMTPConnectionError``.
final class SMTPConnection: Sendable {
    private let channel: any Channel
    private let handler: NIOLoopBound<SMTPClientHandler>
    private let timeout: TimeAmount

    private init(channel: any Channel, handler: NIOLoopBound<SMTPClientHandler>, timeout: TimeAmount) {
        self.channel = channel
        self.handler = handler
        self.timeout = timeout
    }

    /// Connects to `host:port`, with TLS from the first byte when `implicitTLS` is given.
    static func connect(
        host: String,
        port: Int,
        implicitTLS: (context: NIOSSLContext, serverHostname: String?)?,
        group: any EventLoopGroup,
        timeout: TimeAmount
    ) async throws(SMTPConnectionError) -> SMTPConnection {
        // The handler is made on the channel's event loop first, so the connection holds it from the start.
        let eventLoop = group.next()
        guard let bootstrap = ClientBootstrap(validatingGroup: eventLoop) else {
            throw .channel(ChannelError.operationUnsupported)
        }
        do {
            let handler = try await eventLoop.submit { NIOLoopBound(SMTPClientHandler(), eventLoop: eventLoop) }.get()
            let channel =
                try await bootstrap
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        if let implicitTLS {
                            try pipeline.addHandler(NIOSSLClientHandler(context: implicitTLS.context, serverHostname: implicitTLS.serverHostname))
                        }
                        try pipeline.addHandler(ByteToMessageHandler(handler.value.lineDecoder))
                        try pipeline.addHandler(handler.value)
                    }
                }
                .connect(host: host, port: port)
                .get()
            return SMTPConnection(channel: channel, handler: handler, timeout: timeout)
        } catch {
            throw .channel(error)
        }
    }

    /// Waits for the server's greeting.
    func greeting() async throws(SMTPConnectionError) -> SMTPReply {
        try await self.exchange(nil, acceptsEarlyReply: true)
    }

    /// Sends one command line (CRLF is added) and waits for its reply.
    func command(_ line: String) async throws(SMTPConnectionError) -> SMTPReply {
        try await self.exchange(ByteBuffer(string: line + "\r\n"), acceptsEarlyReply: false)
    }

    /// Sends raw bytes (the DATA payload, already dot-stuffed and terminated) and waits for the reply.
    func send(_ bytes: ByteBuffer) async throws(SMTPConnectionError) -> SMTPReply {
        try await self.exchange(bytes, acceptsEarlyReply: false)
    }

    /// After a 220 reply to STARTTLS: puts TLS in front of the line decoder, refusing if the server already
    /// sent more plaintext. The handshake runs while the next command (EHLO) waits for its reply.
    func startTLS(context: NIOSSLContext, serverHostname: String?) async throws(SMTPConnectionError) {
        let channel = self.channel
        let handler = self.handler
        let upgrade = channel.eventLoop.submit {
            guard !handler.value.hasUnreadInput else { throw SMTPConnectionError.dataAfterStartTLS }
            let tls = try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
            try channel.pipeline.syncOperations.addHandler(tls, position: .first)
        }
        do {
            try await upgrade.get()
        } catch let error as SMTPConnectionError {
            self.channel.close(promise: nil)
            throw error
        } catch {
            self.channel.close(promise: nil)
            throw .channel(error)
        }
    }

    /// Sends QUIT and waits briefly for its reply, ignoring any failure, then closes.
    func quitAndClose() async {
        _ = try? await self.exchange(ByteBuffer(string: "QUIT\r\n"), acceptsEarlyReply: false, timeout: min(self.timeout, .seconds(5)))
        await self.close()
    }

    /// Closes the channel; closing twice is harmless.
    func close() async {
        try? await self.channel.close()
    }

    private func exchange(
        _ bytes: ByteBuffer?,
        acceptsEarlyReply: Bool,
        timeout: TimeAmount? = nil
    ) async throws(SMTPConnectionError) -> SMTPReply {
        let eventLoop = self.channel.eventLoop
        let handler = self.handler
        let reply = eventLoop.makePromise(of: SMTPReply.self)
        let timer = eventLoop.scheduleTask(in: timeout ?? self.timeout) { handler.value.timeout(reply) }
        reply.futureResult.whenComplete { _ in timer.cancel() }
        let request = SMTPRequest(bytes: bytes, reply: reply, acceptsEarlyReply: acceptsEarlyReply)
        eventLoop.execute { handler.value.send(request) }
        do {
            return try await reply.futureResult.get()
        } catch let error as SMTPConnectionError {
            throw error
        } catch {
            throw .channel(error)
        }
    }
}
