import NIOCore

/// A command to write (or nothing, for the greeting) and the promise of the reply that answers it.
struct SMTPRequest {
    var bytes: ByteBuffer?
    var reply: EventLoopPromise<SMTPReply>
    /// The greeting may arrive before it is asked for; any other reply must come after its command.
    var acceptsEarlyReply: Bool
}

/// Pairs each request with the next reply: one outstanding request at a time (no PIPELINING), so a reply
/// that arrives unasked, or data after STARTTLS's 220, is a protocol error and ends the connection.
///
/// The first failure (timeout, close, malformed reply, channel or TLS error) is final: it fails the pending
/// request and every later one, and closes the channel. The connection keeps a reference to this handler
/// (used on its event loop only), so a request made after the channel closed still learns why.
final class SMTPClientHandler: ChannelInboundHandler {
    typealias InboundIn = String
    typealias OutboundOut = ByteBuffer

    let lineDecoder = SMTPLineDecoder()
    private var context: ChannelHandlerContext?
    private var assembler = SMTPReplyAssembler()
    private var earlyReplies: [SMTPReply] = []
    private var pending: EventLoopPromise<SMTPReply>?
    private var failure: SMTPConnectionError?

    /// Whether any byte or reply from the server is waiting unread (checked before the TLS upgrade).
    var hasUnreadInput: Bool {
        !self.earlyReplies.isEmpty || !self.assembler.isEmpty || self.lineDecoder.unconsumedByteCount > 0
    }

    /// Writes the request's bytes, if any, and arranges for its reply promise to be completed.
    func send(_ request: SMTPRequest) {
        if request.acceptsEarlyReply, !self.earlyReplies.isEmpty {
            request.reply.succeed(self.earlyReplies.removeFirst())
            return
        }
        if let failure = self.failure {
            request.reply.fail(failure)
            return
        }
        guard let context = self.context else {
            request.reply.fail(SMTPConnectionError.closedByServer)
            return
        }
        if let early = self.earlyReplies.first {
            self.fail(.unexpectedReply(early), context: context)
            request.reply.fail(self.failure ?? .closedByServer)
            return
        }
        if self.pending != nil {
            // The connection sends one request at a time; a second one is a programming error: end it all.
            self.fail(.channel(ChannelError.inappropriateOperationForState), context: context)
            request.reply.fail(self.failure ?? .closedByServer)
            return
        }
        self.pending = request.reply
        if let bytes = request.bytes {
            context.writeAndFlush(self.wrapOutboundOut(bytes), promise: nil)
        }
    }

    /// Fails the pending request with ``SMTPConnectionError/timeout`` if it is still the one the timer was for.
    func timeout(_ reply: EventLoopPromise<SMTPReply>) {
        guard let pending = self.pending, pending.futureResult === reply.futureResult else {
            reply.fail(SMTPConnectionError.timeout)  // no effect when already answered
            return
        }
        if let context = self.context {
            self.fail(.timeout, context: context)
        } else {
            self.pending = nil
            pending.fail(SMTPConnectionError.timeout)
        }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        if let pending = self.pending {
            self.pending = nil
            pending.fail(self.failure ?? .closedByServer)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = self.unwrapInboundIn(data)
        guard self.failure == nil else { return }
        let reply: SMTPReply?
        do {
            reply = try self.assembler.add(line)
        } catch {
            self.fail(.malformedReply(error), context: context)
            return
        }
        guard let reply else { return }
        if let pending = self.pending {
            self.pending = nil
            pending.succeed(reply)
        } else if self.earlyReplies.isEmpty {
            self.earlyReplies.append(reply)
        } else {
            self.fail(.unexpectedReply(reply), context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? SMTPConnectionError {
            self.fail(error, context: context)
        } else {
            self.fail(.channel(error), context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.fail(.closedByServer, context: context)
        context.fireChannelInactive()
    }

    private func fail(_ error: SMTPConnectionError, context: ChannelHandlerContext) {
        guard self.failure == nil else { return }
        self.failure = error
        if let pending = self.pending {
            self.pending = nil
            pending.fail(error)
        }
        context.close(promise: nil)
    }
}
