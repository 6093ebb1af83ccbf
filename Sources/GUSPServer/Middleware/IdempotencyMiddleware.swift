import Foundation
import GUSPCore
import HTTPTypes
import Hummingbird

/// `Idempotency-Key` on creating POSTs: the same key and request within 24 h get the first answer
/// again; the same key with another request is 409. Server errors are not kept, so they can be retried.
struct IdempotencyMiddleware<Context: RequestContext>: RouterMiddleware {
    let store: Store

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Keys belong to a caller: anonymous requests and logins (which mint a secret each time) are not replayed.
        guard request.method == .post, let key = request.headers[.idempotencyKey], let actor = RequestState.current.actor,
            request.uri.path.split(separator: "/").joined(separator: "/") != "v1/auth/token"
        else {
            return try await next(request, context)
        }
        guard (1...255).contains(key.count) else {
            throw Problem(.badRequest, "idempotency-key", detail: "Idempotency-Key must be 1 to 255 characters")
        }
        let state = RequestState.current
        let scope = "\(actor.kind.rawValue):\(actor.id)"
        let fingerprint = "\(request.method.rawValue) \(request.uri.path)\n" + Self.canonical(state.body)
        switch try await store.claimIdempotencyKey(key, scope: scope, request: fingerprint) {
        case .replay(let stored) where stored.contentType == Self.secretMarker:
            throw Problem(
                .conflict, "idempotency-secret-shown-once",
                detail: "the first request with this Idempotency-Key made a secret, which was shown once; list the keys and revoke it if it was lost")
        case .replay(let stored):
            var response = Response(status: .init(code: stored.status), body: .init(byteBuffer: ByteBuffer(string: stored.body)))
            if let type = stored.contentType { response.headers[.contentType] = type }
            if let location = stored.location { response.headers[.location] = location }
            if let etag = stored.etag { response.headers[.eTag] = etag }
            response.headers[HTTPField.Name("Idempotent-Replayed")!] = "true"
            return response
        case .mismatch:
            throw Problem(.conflict, "idempotency-key-reused", detail: "this Idempotency-Key was used with another request")
        case .inProgress:
            throw Problem(.conflict, "idempotency-key-in-progress", detail: "the first request with this Idempotency-Key is still running")
        case .proceed:
            break
        }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            let problem = ErrorMapping.problem(for: error)
            guard Self.keeps(problem.status) else {
                try? await store.releaseIdempotencyKey(key, scope: scope)
                throw error
            }
            response = problem.response(requestId: state.requestId)
        }
        guard Self.keeps(response.status.code) else {
            try? await store.releaseIdempotencyKey(key, scope: scope)
            return response
        }
        if response.headers[.cacheControl]?.contains("no-store") == true {
            // A secret is shown once: keep only that the request succeeded, never the answer.
            try await store.completeIdempotentRequest(
                key, scope: scope,
                response: StoredResponse(
                    status: response.status.code, contentType: Self.secretMarker, location: nil, etag: nil, body: ""))
            return response
        }
        let collector = BodyCollector()
        try await response.body.write(collector)
        let body = String(buffer: collector.buffer)
        try await store.completeIdempotentRequest(
            key, scope: scope,
            response: StoredResponse(
                status: response.status.code, contentType: response.headers[.contentType],
                location: response.headers[.location], etag: response.headers[.eTag], body: body))
        var replayable = Response(status: response.status, headers: response.headers, body: .init(byteBuffer: collector.buffer))
        replayable.headers[.contentLength] = String(collector.buffer.readableBytes)
        return replayable
    }

    /// Marks a kept answer that carried a secret (not kept).
    private static var secretMarker: String { "gusp/secret-shown-once" }

    /// The body with JSON keys sorted, so that the same document sent twice matches whatever its key
    /// order, and without passwords, which must not be kept under a fast hash.
    private static func canonical(_ body: [UInt8]) -> String {
        guard var object = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else {
            return String(decoding: body, as: UTF8.self)
        }
        if var fields = object as? [String: Any] {
            fields["password"] = nil
            fields["current_password"] = nil
            object = fields
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed]) else {
            return String(decoding: body, as: UTF8.self)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Answers worth replaying: not server failures, not missing credentials, not rate limits.
    private static func keeps(_ status: Int) -> Bool {
        status < 500 && status != 401 && status != 429
    }
}

/// Gathers a response body in memory (API answers are small JSON documents).
private final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
    var buffer = ByteBuffer()

    func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        self.buffer.writeBuffer(&buffer)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
