import Foundation
import GUSPAPI
import GUSPCore
import HTTPTypes
import Hummingbird

/// `POST /v1/signalements` with a JSON body, the route a city's residents and partner systems call
/// most, answered with the generated types and the generated handler (`APIHandler.createSignalement`)
/// but written by `AnswerJSON` rather than by `JSONEncoder` over the generated `Codable` conformance,
/// which cost a tenth of the server's time under load. The answer has the same members and values
/// (tested member by member, strings and numbers byte for byte), in the schema's order; everything
/// else (a body missing, another route) goes on to the generated router.
/// Innermost middleware: authentication, idempotency and the body's checks have run.
struct FilingMiddleware<Context: RequestContext>: RouterMiddleware {
    let handler: APIHandler
    static var route: String { "/v1/signalements" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let body = RequestState.current.body
        guard request.method == .post, request.uri.path == Self.route, !body.isEmpty else {
            return try await next(request, context)
        }
        context.coreContext.endpointPath.value = Self.route
        let decoded = try JSONDecoder().decode(Components.Schemas.SignalementCreate.self, from: Data(body))
        // With an Idempotency-Key, the answer is written once, into the record the filing commits with.
        let idempotent = IdempotentRequest.current
        if let idempotent, let actor = RequestState.current.actor {
            let store = handler.store
            idempotent.answerFilings { filed in
                let answer = Components.Schemas.Signalement(
                    filed.signalement, for: actor, now: store.clock.now().storedMilliseconds, reopenWindow: store.settings.reopenWindow,
                    duplicates: filed.possibleDuplicates)
                guard let bytes = Self.json(answer) else { return nil }
                return StoredResponse(
                    status: 201, contentType: Self.contentType, location: nil, etag: "\"\(filed.signalement.version)\"",
                    body: String(decoding: bytes, as: UTF8.self))
            }
        }
        let output = try await handler.createSignalement(
            .init(
                headers: .init(idempotencyKey: request.headers[.idempotencyKey]), body: .json(decoded)))
        guard case .created(let created) = output, case .json(let signalement) = created.body else {
            throw Problem(.internalServerError, "internal", detail: "an unexpected error occurred; it was logged")
        }
        if let kept = idempotent?.keptAnswer {
            var headers: HTTPFields = [.contentType: Self.contentType]
            if let etag = kept.etag { headers[.eTag] = etag }
            return Response(status: .created, headers: headers, body: .init(byteBuffer: ByteBuffer(string: kept.body)))
        }
        guard let bytes = Self.json(signalement) else {
            throw Problem(.internalServerError, "internal", detail: "an unexpected error occurred; it was logged")
        }
        var headers: HTTPFields = [.contentType: Self.contentType]
        if let etag = created.headers.eTag { headers[.eTag] = etag }
        return Response(status: .created, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private static var contentType: String { "application/json; charset=utf-8" }

    /// The answer's bytes, or nil if a value cannot be written (a non-finite number).
    private static func json(_ signalement: Components.Schemas.Signalement) -> [UInt8]? {
        var json = AnswerJSON()
        signalement.write(to: &json)
        return json.failed ? nil : json.bytes
    }
}
