import Foundation
import GUSPCore
import HTTPTypes
import Hummingbird

/// Every 201 Created names where the new thing can be read (RFC 9110 §15.3.2, `Location`), found from
/// the answer's `id` by `CreatedLocation`; a route that set `Location` itself keeps its own.
struct CreatedLocationMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteMethodsSlot

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard response.status == .created, response.headers[.location] == nil else { return response }
        let body = try await ResponseBodyCollector.collect(response.body)
        response.body = .init(byteBuffer: body)
        let id = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))).flatMap { ($0 as? [String: Any])?["id"] as? String }
        if let location = CreatedLocation.resolve(path: request.uri.path, id: id, readable: { routes.methods(for: $0).contains(.get) }) {
            response.headers[.location] = location
        }
        return response
    }
}

/// Where a created thing is read, tried in this order:
/// 1. the creating path followed by its id, when that is a route (`/v1/partners/par_…`);
/// 2. the collection its id's prefix names (an intervention pushed with `PUT …/interventions/{external_id}`
///    is read at `/v1/interventions/itv_…`);
/// 3. the creating path itself, when it lists what was created (a comment, an observation);
/// 4. the nearest enclosing resource (a signature, an amendment: the convention they belong to).
enum CreatedLocation {
    static func resolve(path: String, id: String?, readable: (String) -> Bool) -> String? {
        let trimmed = "/" + path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
        if let id, Identifier.isSafeSegment(id) {
            let child = "\(trimmed)/\(id)"
            if readable(child) { return child }
            if let prefix = id.split(separator: "_").first, let collection = collections[String(prefix)], readable("\(collection)/\(id)") {
                return "\(collection)/\(id)"
            }
        }
        var segments = trimmed.split(separator: "/").map(String.init)
        while segments.count > 1 {
            let candidate = "/" + segments.joined(separator: "/")
            if readable(candidate) { return candidate }
            segments.removeLast()
        }
        return nil
    }

    /// Collections by the prefix of their ids (`Identifier.make`).
    static let collections: [String: String] = [
        "sig": "/v1/signalements", "par": "/v1/partners", "ter": "/v1/territories", "cat": "/v1/categories", "usr": "/v1/users",
        "lpa": "/v1/land-parcels", "cnv": "/v1/conventions", "itv": "/v1/interventions", "eng": "/v1/engagements",
        "mtg": "/v1/meetings", "grd": "/v1/observation-grids", "wlk": "/v1/walks", "whs": "/v1/webhook-subscriptions",
    ]
}

extension Identifier {
    /// Letters, digits, `_` and `-` only: safe to place in a path as it is.
    fileprivate static func isSafeSegment(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 128
            && id.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-") }
    }
}
