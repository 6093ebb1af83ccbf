import Foundation
import GUSPCore
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem document; every error gusp answers is one of these.
struct Problem: Error, Encodable, Sendable {
    var type: String
    var title: String
    var status: Int
    var detail: String?
    var instance: String?
    var errors: [FieldError]?
    /// Extra headers the answer carries (`WWW-Authenticate`, `Allow`, `Retry-After`…).
    var headers: HTTPFields = [:]

    private enum CodingKeys: String, CodingKey { case type, title, status, detail, instance, errors }

    init(_ status: HTTPResponse.Status, _ slug: String, detail: String?, errors: [FieldError]? = nil) {
        self.type = "https://gusp.dev/problems/\(slug)"
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.errors = errors
    }

    static let mediaType = "application/problem+json"

    func response(requestId: String) -> Response {
        var problem = self
        problem.instance = problem.instance ?? "urn:gusp:request:\(requestId)"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(problem)) ?? Data()
        var fields = headers
        fields[.contentType] = Self.mediaType
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
