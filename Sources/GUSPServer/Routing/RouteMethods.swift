import HTTPTypes
import Hummingbird
import Synchronization

/// The methods each route path answers, from the router's own table: what `Allow` lists on a 405 and
/// what a CORS preflight allows.
struct RouteMethods: Sendable {
    private let routes: [(path: RouterPath, method: HTTPRequest.Method)]

    init<Context: RequestContext>(routes: [Router<Context>.RouteDescription]) {
        self.routes = routes.map { ($0.path, $0.method) }
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

/// The route table for a middleware that must be added before the routes exist (the outermost ones):
/// filled once, when every route is registered, before the server answers anything.
final class RouteMethodsSlot: Sendable {
    private let slot = Mutex<RouteMethods?>(nil)

    func fill(_ methods: RouteMethods) { slot.withLock { $0 = methods } }

    func methods(for path: String) -> Set<HTTPRequest.Method> {
        slot.withLock { $0?.methods(for: path) ?? [] }
    }
}
