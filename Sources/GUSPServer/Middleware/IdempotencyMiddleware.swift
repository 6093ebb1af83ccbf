import Foundation
import GUSPCore
import HTTPTypes
import Hummingbird
import OpenAPIRuntime

/// `Idempotency-Key` on creating POSTs: the same key and request within 24 h get the first answer
/// again; the same key with another request is 409. The key's record is written by the command's own
/// transaction (`Store.runIdempotently`), so it exists exactly when the command committed: a request
/// that failed before committing leaves nothing, and its retry runs; one that committed is never run
/// again, even after a crash between its commit and its answer.
struct IdempotencyMiddleware<Context: RequestContext>: RouterMiddleware {
    let store: Store

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Keys belong to a caller: anonymous requests and logins (which mint a secret each time) are not replayed.
        guard request.method == .post, let key = request.headers[.idempotencyKey], let actor = try await caller(of: request),
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
        if let answer = try await Self.answer(try await store.lookUpIdempotencyKey(key, scope: scope, request: fingerprint)) {
            return answer
        }
        do {
            return try await store.runIdempotently(key: key, scope: scope, request: fingerprint) { idempotent in
                try await run(request, context: context, idempotent: idempotent, next: next)
            }
        } catch let error where Self.isKeyTaken(error) {
            // Another request with this key committed first: its answer, or "in progress" while it is written.
            let claim = try await store.lookUpIdempotencyKey(key, scope: scope, request: fingerprint)
            if let answer = try await Self.answer(claim) { return answer }
            throw Self.inProgress
        }
    }

    /// The authenticated caller; for an Open311 filing, the partner system its `api_key` names (the
    /// filing itself refuses a bad key in Open311's words).
    private func caller(of request: Request) async throws -> Actor? {
        if let actor = RequestState.current.actor { return actor }
        guard Open311ProblemAnswer.isOpen311(request.uri.path), let key = (try? Open311Parameters(request))?["api_key"] else { return nil }
        return try? await store.authenticate(bearer: key)
    }

    /// The request itself, then its answer kept when its command committed.
    private func run(
        _ request: Request, context: Context, idempotent: IdempotentRequest, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            // A failure after the command committed is kept like any answer (a retry must not run it
            // again); before, nothing was written and a retry runs.
            guard idempotent.isWritten else { throw error }
            let problem = ErrorMapping.problem(for: error)
            guard Self.keeps(problem.status) else { throw error }
            response = problem.response(requestId: RequestState.current.requestId)
        }
        guard idempotent.isWritten, idempotent.keptAnswer == nil, Self.keeps(response.status.code) else { return response }
        if response.headers[.cacheControl]?.contains("no-store") == true {
            // A secret is shown once: keep only that the request succeeded, never the answer.
            try await store.completeIdempotentRequest(
                idempotent,
                response: StoredResponse(status: response.status.code, contentType: Self.secretMarker, location: nil, etag: nil, body: ""))
            return response
        }
        let buffer = try await ResponseBodyCollector.collect(response.body)
        let body = String(buffer: buffer)
        try await store.completeIdempotentRequest(
            idempotent,
            response: StoredResponse(
                status: response.status.code, contentType: response.headers[.contentType],
                location: response.headers[.location], etag: response.headers[.eTag], body: body))
        var replayable = Response(status: response.status, headers: response.headers, body: .init(byteBuffer: buffer))
        replayable.headers[.contentLength] = String(buffer.readableBytes)
        return replayable
    }

    /// Thrown by the store, or by it through the generated handler (which wraps what handlers throw).
    private static func isKeyTaken(_ error: any Error) -> Bool {
        error is IdempotencyKeyTaken || (error as? ServerError)?.underlyingError is IdempotencyKeyTaken
    }

    /// The answer the records give before the request runs, or nil when it must run.
    private static func answer(_ claim: IdempotencyClaim) async throws -> Response? {
        switch claim {
        case .proceed:
            return nil
        case .replay(let stored) where stored.contentType == Self.secretMarker:
            throw Problem(
                .conflict, "idempotency-secret-shown-once",
                detail: "the first request with this Idempotency-Key made a secret, which was shown once; list the keys and revoke it if it was lost")
        case .replay(let stored):
            return replayed(stored)
        case .mismatch:
            throw Problem(.conflict, "idempotency-key-reused", detail: "this Idempotency-Key was used with another request")
        case .inProgress:
            throw inProgress
        case .answerLost:
            throw Problem(
                .conflict, "idempotency-answer-lost",
                detail:
                    "the first request with this Idempotency-Key was carried out, but the server stopped before keeping its answer; read the resource to see its result"
            )
        }
    }

    /// The first request's command has committed; its answer is being kept (milliseconds).
    private static var inProgress: Problem {
        var problem = Problem(.conflict, "idempotency-key-in-progress", detail: "the first request with this Idempotency-Key is still running")
        problem.headers[.retryAfter] = "1"
        return problem
    }

    static func replayed(_ stored: StoredResponse) -> Response {
        var response = Response(status: .init(code: stored.status), body: .init(byteBuffer: ByteBuffer(string: stored.body)))
        if let type = stored.contentType { response.headers[.contentType] = type }
        if let location = stored.location { response.headers[.location] = location }
        if let etag = stored.etag { response.headers[.eTag] = etag }
        response.headers[HTTPField.Name("Idempotent-Replayed")!] = "true"
        return response
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
