import HTTPTypes
import Hummingbird

/// A path that is a route's, asked with a method none of its routes answers, is 405 Method Not Allowed
/// with `Allow` listing the methods that are (RFC 9110 §15.5.6), not 404: the client has the right
/// address and the wrong verb. Added to the router after every route, this middleware sits only in
/// front of the router's "not found" (routes keep the middlewares added before them), so a matched
/// request never pays for it.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    private let routes: [(path: RouterPath, method: HTTPRequest.Method)]

    init(routes: [Router<Context>.RouteDescription]) {
        self.routes = routes.map { ($0.path, $0.method) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let allowed = methods(for: request.uri.path)
        guard !allowed.isEmpty, !allowed.contains(request.method) else { return try await next(request, context) }
        let list = allowed.map(\.rawValue).sorted().joined(separator: ", ")
        var problem = Problem(.methodNotAllowed, "method-not-allowed", detail: "\(request.method.rawValue) is not allowed here; allowed: \(list)")
        problem.headers[.allow] = list
        throw problem
    }

    /// The methods of the routes the router would resolve `path` to, walking the templates segment by
    /// segment as its trie does: where a fixed name matches the segment, the captures beside it are not
    /// tried (`/v1/land-parcels/import` is that route's, not `/v1/land-parcels/{id}`'s). A route that
    /// answers GET answers HEAD too (the router makes those).
    func methods(for path: String) -> Set<HTTPRequest.Method> {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var candidates = routes.filter { $0.path.components.count == segments.count }
        for (index, segment) in segments.enumerated() {
            let matching = candidates.filter { $0.path.components[index] ~= segment }
            let named = matching.filter { $0.path.components[index] == segment }
            candidates = named.isEmpty ? matching : named
        }
        var methods = Set(candidates.map(\.method))
        if methods.contains(.get) { methods.insert(.head) }
        return methods
    }
}
