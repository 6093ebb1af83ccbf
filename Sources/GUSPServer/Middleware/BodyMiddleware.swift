import GUSPCore
import HTTPTypes
import Hummingbird

/// For the JSON API (`/v1`): bodies over 1 MiB are 413, bodies that are not JSON are 415, and the
/// body is kept (already read) for the handlers and the idempotency check.
struct BodyMiddleware<Context: RequestContext>: RouterMiddleware {
    static var maximumBytes: Int { 1 << 20 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1/"), [.post, .put, .patch].contains(request.method) else {
            return try await next(request, context)
        }
        var request = request
        if let length = request.headers[.contentLength].flatMap(Int.init), length > Self.maximumBytes {
            throw Self.tooLarge
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Self.maximumBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Self.tooLarge
        }
        if buffer.readableBytes > 0 || request.headers[.contentType] != nil {
            let mediaType = request.headers[.contentType]?.split(separator: ";").first?
                .trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard mediaType == "application/json" || mediaType == "application/merge-patch+json" else {
                throw Problem(.unsupportedMediaType, "unsupported-media-type",
                              detail: "send the body as application/json (got \(mediaType.isEmpty ? "no Content-Type" : mediaType))")
            }
            if mediaType == "application/merge-patch+json" {
                var head = request.head
                head.headerFields[.contentType] = "application/json"
                request = Request(head: head, body: .init(buffer: buffer))
            }
        }
        var state = RequestState.current
        state.body = Array(buffer: buffer)
        return try await RequestState.$current.withValue(state) { try await next(request, context) }
    }

    private static var tooLarge: Problem {
        Problem(.contentTooLarge, "too-large", detail: "the body must be at most 1 MiB")
    }
}
