import GUSPCore
import HTTPTypes
import Hummingbird

/// Reads `Authorization: Bearer …`. A bad or expired token is a 401 at once; no header leaves the
/// request anonymous, and each handler that needs a caller answers 401 itself.
struct AuthenticationMiddleware<Context: RequestContext>: RouterMiddleware {
    let store: Store

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Only the API needs a caller; /health, /ready, /metrics and the contract ignore credentials.
        guard request.isAPI, let header = request.headers[.authorization] else {
            return try await next(request, context)
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw AuthenticationFailure("use Authorization: Bearer <token>")
        }
        let actor = try await store.authenticate(bearer: String(parts[1]).trimmingWhitespace)
        var state = RequestState.current
        state.actor = actor
        var context = context
        context.logger[metadataKey: "actor"] = .string(actor.id)
        return try await RequestState.$current.withValue(state) { try await next(request, context) }
    }
}
