import HTTPTypes
import Hummingbird

/// A path that is a route's, asked with a method none of its routes answers, is 405 Method Not Allowed
/// with `Allow` listing the methods that are (RFC 9110 §15.5.6), not 404: the client has the right
/// address and the wrong verb. Added to the router after every route, this middleware sits only in
/// front of the router's "not found" (routes keep the middlewares added before them), so a matched
/// request never pays for it.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let allowed = routes.methods(for: request.uri.path)
        guard !allowed.isEmpty, !allowed.contains(request.method) else { return try await next(request, context) }
        let list = allowed.map(\.rawValue).sorted().joined(separator: ", ")
        var problem = Problem(.methodNotAllowed, "method-not-allowed", detail: "\(request.method.rawValue) is not allowed here; allowed: \(list)")
        problem.headers[.allow] = list
        throw problem
    }
}
