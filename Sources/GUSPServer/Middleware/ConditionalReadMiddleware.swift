import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Reads a client may cache and revalidate (RFC 9110 §8.8, §13; RFC 9111 §5.2):
/// - every successful GET carries an `ETag`: a resource's own (its version, the one `If-Match` takes),
///   otherwise a weak tag of the representation's bytes (lists, reports, CSV);
/// - `If-None-Match` naming it answers 304 Not Modified, without a body;
/// - `Cache-Control` says who may keep the answer (`CachePolicy`), unless the route said it already.
struct ConditionalReadMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head else { return try await next(request, context) }
        var response = try await next(request, context)
        guard response.status == .ok else { return response }
        if response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = CachePolicy.directive(
                route: context.endpointPath, path: request.uri.path, authenticated: request.headers[.authorization] != nil)
        }
        // The OpenAPI runtime percent-encodes header values; an entity tag is a quoted string.
        if let etag = response.headers[.eTag], etag.contains("%") { response.headers[.eTag] = etag.removingPercentEncoding }
        if response.headers[.eTag] == nil {
            let body = try await ResponseBodyCollector.collect(response.body)
            response.headers[.eTag] = Self.weakTag(of: body)
            response.body = .init(byteBuffer: body)
        }
        guard let condition = request.headers[values: .ifNoneMatch].nonEmptyJoined,
            let tag = response.headers[.eTag], Self.matches(condition, tag)
        else { return response }
        var notModified = Response(status: .notModified)
        for name in [HTTPField.Name.eTag, .cacheControl, .vary, .contentLocation, .expires] {
            for value in response.headers[values: name] { notModified.headers.append(HTTPField(name: name, value: value)) }
        }
        return notModified
    }

    /// `W/"` + the first 128 bits of the body's SHA-256, base64url + `"`.
    static func weakTag(of body: ByteBuffer) -> String {
        let digest = SHA256.hash(data: body.readableBytesView)
        let text = Array(digest.prefix(16)).base64URL
        return "W/\"\(text)\""
    }

    /// `If-None-Match` uses the weak comparison (RFC 9110 §13.1.2): `*`, or any listed tag whose opaque
    /// part equals the current one's, weak or not.
    static func matches(_ condition: String, _ current: String) -> Bool {
        let trimmed = condition.trimmingCharacters(in: .whitespaces)
        if trimmed == "*" { return true }
        let opaque = { (tag: Substring) -> Substring in
            let tag = tag.trimmingCharacters(in: .whitespaces)
            return Substring(tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag)
        }
        let currentOpaque = opaque(Substring(current))
        return trimmed.split(separator: ",").contains { opaque($0) == currentOpaque }
    }
}

extension [String] {
    fileprivate var nonEmptyJoined: String? { isEmpty ? nil : joined(separator: ", ") }
}

extension [UInt8] {
    fileprivate var base64URL: String {
        Data(self).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
