import GUSPCore
import HTTPTypes
import Hummingbird
import Logging

/// Outermost middleware: gives the request an id (honouring a sane `X-Request-Id`), turns every
/// error into a problem document, sets the headers every answer carries (`nosniff`, a
/// `Content-Security-Policy` that forbids everything), logs one structured line and records metrics.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: HTTPMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let requestId = request.headers[.requestId].flatMap(Self.acceptable) ?? Identifier.make("req")
        let start = ContinuousClock.now
        var context = context
        context.logger[metadataKey: "request_id"] = .string(requestId)
        var response: Response
        do {
            response = try await RequestState.$current.withValue(RequestState(requestId: requestId, actor: nil, body: [])) {
                try await next(request, context)
            }
        } catch {
            let problem = ErrorMapping.problem(for: error)
            if problem.status >= 500 {
                context.logger.error("request failed", metadata: ["error": .string(ErrorMapping.logDescription(of: error))])
            }
            response =
                Open311ProblemAnswer.isOpen311(request.uri.path)
                ? Open311ProblemAnswer.response(for: problem, path: request.uri.path, acceptLanguage: request.headers[.acceptLanguage])
                : problem.response(requestId: requestId)
        }
        response.headers[.requestId] = requestId
        // Answers are data: never sniffed into something else, never rendered with scripts or framed.
        response.headers[.contentTypeOptions] = "nosniff"
        if response.headers[.contentSecurityPolicy] == nil {
            // The printable pages (a walk's compte-rendu, a meeting's minutes) carry their style inline: that style, by its hash, and nothing else.
            let html = response.headers[.contentType]?.lowercased().hasPrefix("text/html") == true
            response.headers[.contentSecurityPolicy] = html ? Self.printablePagePolicy : Self.contentSecurityPolicy
        }
        // The OpenAPI runtime percent-encodes header values; an entity tag is a quoted string.
        if let etag = response.headers[.eTag], etag.contains("%") {
            response.headers[.eTag] = etag.removingPercentEncoding
        }
        let elapsed = ContinuousClock.now - start
        let route = context.endpointPath ?? "unmatched"
        metrics.record(method: request.method.rawValue, route: route, status: response.status.code, duration: elapsed)
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue), "path": .string(request.uri.path), "route": .string(route),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .string(
                    String(format: "%.2f", Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)),
            ])
        return response
    }

    static var contentSecurityPolicy: String { "default-src 'none'; frame-ancestors 'none'" }
    static var printablePagePolicy: String {
        "default-src 'none'; style-src '\(PrintablePage.styleSourceHash)'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    }

    /// Up to 128 characters of letters, digits, `-`, `_`, `.`, `:`; anything else is replaced.
    private static func acceptable(_ value: String) -> String? {
        guard (1...128).contains(value.count),
            value.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSetLike.idCharacters.contains($0.value)) })
        else { return nil }
        return value
    }
}

private enum CharacterSetLike {
    static let idCharacters: Set<UInt32> = Set(
        Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:".unicodeScalars).map(\.value))
}

extension HTTPField.Name {
    static let requestId = HTTPField.Name("X-Request-Id")!
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
}
