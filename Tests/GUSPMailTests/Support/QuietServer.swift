import GUSPTestSupport
import NIOCore
import NIOPosix

/// A scripted TCP listener on 127.0.0.1: it accepts connections, sends `greeting` (or nothing at all), answers
/// the n-th line it receives with `replies[n]`, and may close after the greeting. For the timeout and
/// protocol-error tests, where a misbehaving server is the point.
final class QuietServer: Sendable {
    private let channel: any Channel
    var port: Int { self.channel.localAddress?.port ?? 0 }

    private final class Speaker: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let greeting: String?
        let closeAfterGreeting: Bool
        var replies: [String]

        init(greeting: String?, closeAfterGreeting: Bool, replies: [String]) {
            self.greeting = greeting
            self.closeAfterGreeting = closeAfterGreeting
            self.replies = replies
        }

        func channelActive(context: ChannelHandlerContext) {
            if let greeting { context.writeAndFlush(NIOAny(ByteBuffer(string: greeting)), promise: nil) }
            if self.closeAfterGreeting { context.close(promise: nil) }
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = self.unwrapInboundIn(data).readableBytesView
            for _ in bytes.filter({ $0 == UInt8(ascii: "\n") }) where !self.replies.isEmpty {
                context.writeAndFlush(NIOAny(ByteBuffer(string: self.replies.removeFirst())), promise: nil)
            }
        }
    }

    private init(channel: any Channel) {
        self.channel = channel
    }

    static func start(greeting: String? = nil, closeAfterGreeting: Bool = false, replies: [String] = []) async throws -> QuietServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let speaker = Speaker(greeting: greeting, closeAfterGreeting: closeAfterGreeting, replies: replies)
                    try channel.pipeline.syncOperations.addHandler(speaker)
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return QuietServer(channel: channel)
    }

    /// A port on 127.0.0.1 where nothing listens: bound, then closed.
    static func unusedPort() async throws -> Int {
        let server = try await start()
        let port = server.port
        try await server.stop()
        return port
    }

    func stop() async throws {
        try await self.channel.close()
    }
}
