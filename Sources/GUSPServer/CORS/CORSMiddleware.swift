import GUSPCore
import HTTPTypes
import Hummingbird

/// Cross-origin calls from browsers (the Fetch standard's CORS protocol), outermost so that every
/// answer — errors, limits and 401s included — carries the headers a front end needs to read it.
/// A preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered here with the methods the
/// route takes and the request headers those methods read; an actual request from an allowed origin
/// gets `Access-Control-Allow-Origin` and the response headers a client reads exposed. With no origin
/// configured nothing changes, and a browser keeps refusing cross-origin reads.
struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    let policy: CORSPolicy
    let routes: RouteMethodsSlot

    static var exposedHeaders: String { "ETag, Location, Retry-After, X-Request-Id, Idempotent-Replayed, Content-Disposition" }
    static var maxAge: String { "600" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard policy.isEnabled else { return try await next(request, context) }
        guard let origin = request.headers[.origin] else {
            var response = try await next(request, context)
            response.headers.append(HTTPField(name: .vary, value: "Origin"))
            return response
        }
        let path = request.uri.path
        if request.method == .options, let asked = request.headers[.accessControlRequestMethod] {
            return preflight(origin: origin, askedMethod: asked, path: path)
        }
        var response = try await next(request, context)
        response.headers.append(HTTPField(name: .vary, value: "Origin"))
        if let allowed = policy.allowedOrigin(origin, path: path, method: request.method.rawValue) {
            response.headers[.accessControlAllowOrigin] = allowed
            response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
        }
        return response
    }

    private func preflight(origin: String, askedMethod: String, path: String) -> Response {
        let methods = routes.methods(for: path)
        var headers: HTTPFields = [.vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"]
        guard !methods.isEmpty else {
            return Problem(.notFound, "not-found", detail: "no such route").response(requestId: Identifier.make("req"))
        }
        guard let allowed = policy.allowedOrigin(origin, path: path, method: askedMethod) else {
            var response = Problem(
                .forbidden, "cross-origin-refused",
                detail: "\(origin) may not call this route from a browser; the deployment lists allowed origins in GUSP_CORS_ORIGINS"
            ).response(requestId: Identifier.make("req"))
            response.headers.append(contentsOf: headers)
            return response
        }
        headers[.accessControlAllowOrigin] = allowed
        headers[.accessControlAllowMethods] = methods.map(\.rawValue).sorted().joined(separator: ", ")
        headers[.accessControlAllowHeaders] = Self.requestHeaders(for: methods).joined(separator: ", ")
        headers[.accessControlMaxAge] = Self.maxAge
        return Response(status: .noContent, headers: headers)
    }

    /// The request headers the methods of a route read.
    static func requestHeaders(for methods: Set<HTTPRequest.Method>) -> [String] {
        var names = ["Authorization", "Accept", "Accept-Language", "X-Request-Id"]
        if methods.contains(.get) { names.append("If-None-Match") }
        if !methods.isDisjoint(with: [.post, .put, .patch, .delete]) { names += ["Content-Type", "If-Match"] }
        if methods.contains(.post) { names.append("Idempotency-Key") }
        return names
    }
}
