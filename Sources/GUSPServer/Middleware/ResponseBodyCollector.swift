import HTTPTypes
import Hummingbird

/// Gathers a response body in memory (API answers are small JSON documents), for the middlewares
/// that read what they answer: idempotent replays, entity tags, `Location`.
final class ResponseBodyCollector: ResponseBodyWriter, @unchecked Sendable {
    private(set) var buffer = ByteBuffer()

    func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        self.buffer.writeBuffer(&buffer)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}

    static func collect(_ body: ResponseBody) async throws -> ByteBuffer {
        let collector = ResponseBodyCollector()
        try await body.write(collector)
        return collector.buffer
    }
}
