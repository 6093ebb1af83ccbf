import GUSPCore
import HTTPTypes
import Hummingbird

/// Every body is read here, whatever the path, and one over 1 MiB is a 413. For the JSON API
/// (`/v1`), a body that is not JSON is a 415 and a write whose answer the client will not accept
/// (`Accept`) is a 406 before anything is done. The body is kept for the handlers and the
/// idempotency check.
struct BodyMiddleware<Context: RequestContext>: RouterMiddleware {
    static var maximumBytes: Int { 1 << 20 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard [.post, .put, .patch].contains(request.method) else {
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
        if request.isAPI {
            try Self.requireJSONAccepted(request.headers[.accept])
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
        }
        var state = RequestState.current
        state.body = Array(buffer: buffer)
        return try await RequestState.$current.withValue(state) { try await next(request, context) }
    }

    private static var tooLarge: Problem {
        Problem(.contentTooLarge, "too-large", detail: "the body must be at most 1 MiB")
    }

    /// Writes answer JSON; a client that accepts none of it learns so before the write happens.
    static func requireJSONAccepted(_ accept: String?) throws {
        guard let accept, !accept.trimmingWhitespace.isEmpty else { return }
        let acceptable = accept.split(separator: ",").contains { range in
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let refused = parts.dropFirst().contains { $0.replacingOccurrences(of: " ", with: "") == "q=0" }
            return !refused && ["*/*", "application/*", "application/json"].contains(parts.first ?? "")
        }
        if !acceptable {
            throw Problem(.notAcceptable, "not-acceptable", detail: "this operation answers application/json")
        }
    }
}

extension Request {
    /// Whether the request is for the JSON API, however its path is spelled (`//v1/…` routes too).
    var isAPI: Bool {
        uri.path.split(separator: "/", omittingEmptySubsequences: true).first == "v1"
    }
}
