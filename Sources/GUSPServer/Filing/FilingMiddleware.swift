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
        let output = try await handler.createSignalement(
            .init(
                headers: .init(idempotencyKey: request.headers[.idempotencyKey]), body: .json(decoded)))
        guard case .created(let created) = output, case .json(let signalement) = created.body else {
            throw Problem(.internalServerError, "internal", detail: "an unexpected error occurred; it was logged")
        }
        var json = AnswerJSON()
        signalement.write(to: &json)
        guard !json.failed else {
            throw Problem(.internalServerError, "internal", detail: "an unexpected error occurred; it was logged")
        }
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let etag = created.headers.eTag { headers[.eTag] = etag }
        return Response(status: .created, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json.bytes)))
    }
}
