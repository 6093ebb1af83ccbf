import GUSPCore
import HTTPTypes
import Hummingbird
import NIOCore

/// Every body is read here, whatever the path, and one over its limit is a 413: 1 MiB, except a
/// land parcel import (16 MiB), an intervention or observation batch (4 MiB) and a photo of a signalement or a walk observation (10 MB, and an Open311 filing that may carry one). For the JSON API (`/v1`), a body that is not JSON
/// (a photo: not JPEG or PNG) is a 415 and a write whose answer the client will not accept (`Accept`)
/// is a 406 before anything is done, and a JSON body naming a member twice is a 400 (one reader could
/// take one, another the other: see `JSONDuplicateKeys`). The body is kept for the handlers and the
/// idempotency check.
struct BodyMiddleware<Context: RequestContext>: RouterMiddleware {
    static var maximumBytes: Int { 1 << 20 }
    static var maximumImportBytes: Int { 16 << 20 }
    static var maximumPhotoBytes: Int { 10_000_000 }
    /// 500 interventions with long descriptions.
    static var maximumBatchBytes: Int { 4 << 20 }

    /// The size limit and the media types a request's body may have.
    static func rules(for request: Request) -> (limit: Int, mediaTypes: Set<String>) {
        let path = request.uri.path
        let json: Set<String> = ["application/json", "application/merge-patch+json"]
        // An Open311 filing may carry its photo (multipart `media`).
        if path.hasPrefix(Open311Routes.base + "/requests") { return (maximumPhotoBytes + (64 << 10), []) }
        // Most bodies (every filing) are neither photos, nor imports, nor batches: no segments to cut.
        guard path.hasSuffix("/photos") || path.hasSuffix("/import") || path.hasSuffix(":batch"), request.isAPI else {
            return (maximumBytes, json)
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        if segments.count == 4, segments[1] == "signalements", segments[3] == "photos" {
            return (maximumPhotoBytes, ["image/jpeg", "image/png"])
        }
        if segments.count == 6, segments[1] == "walks", segments[3] == "observations", segments[5] == "photos" {
            return (maximumPhotoBytes, ["image/jpeg", "image/png"])
        }
        if segments.count == 3, segments[1] == "land-parcels", segments[2] == "import" {
            return (maximumImportBytes, json.union(["application/geo+json"]))
        }
        if segments.count == 4, segments[1] == "partners", segments[3] == "interventions:batch" {
            return (maximumBatchBytes, json)
        }
        // 500 observations of a tablet that worked offline, with their texts and proposals.
        if segments.count == 4, segments[1] == "walks", segments[3] == "observations:batch" {
            return (maximumBatchBytes, json)
        }
        return (maximumBytes, json)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard [.post, .put, .patch].contains(request.method) else {
            return try await next(request, context)
        }
        var request = request
        let rules = Self.rules(for: request)
        if let length = request.headers[.contentLength].flatMap(Int.init), length > rules.limit {
            throw Self.tooLarge(rules.limit)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: rules.limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Self.tooLarge(rules.limit)
        } catch is NIOTooManyBytesError {
            // A chunked body (no Content-Length) that grows past the limit.
            throw Self.tooLarge(rules.limit)
        }
        let bytes = Array(buffer: buffer)
        if request.isAPI {
            try Self.requireJSONAccepted(request.headers[.accept])
            if buffer.readableBytes > 0 || request.headers[.contentType] != nil {
                let mediaType =
                    request.headers[.contentType]?.split(separator: ";").first?
                    .trimmingCharacters(in: .whitespaces).lowercased() ?? ""
                guard rules.mediaTypes.contains(mediaType) else {
                    let expected = rules.mediaTypes.contains("image/jpeg") ? "image/jpeg or image/png" : "application/json"
                    throw Problem(
                        .unsupportedMediaType, "unsupported-media-type",
                        detail: "send the body as \(expected) (got \(mediaType.isEmpty ? "no Content-Type" : mediaType))")
                }
                if mediaType != "image/jpeg", mediaType != "image/png", !bytes.isEmpty {
                    switch JSONDuplicateKeys.check(bytes) {
                    case .duplicate(let name):
                        throw Problem(
                            .badRequest, "duplicate-member", detail: "the body names \(name) more than once",
                            errors: [FieldError(field: name, message: "appears more than once")])
                    case .malformed:
                        throw Problem(.badRequest, "malformed", detail: "the body is not valid JSON (one value, UTF-8 without a byte-order mark)")
                    case nil:
                        break
                    }
                }
                if mediaType == "application/merge-patch+json" || mediaType == "application/geo+json" {
                    var head = request.head
                    head.headerFields[.contentType] = "application/json"
                    request = Request(head: head, body: .init(buffer: buffer))
                }
            }
        }
        var state = RequestState.current
        state.body = bytes
        let ifMatch = request.headers[values: .ifMatch]
        state.ifMatch = ifMatch.isEmpty ? nil : ifMatch.joined(separator: ", ")
        return try await RequestState.$current.withValue(state) { try await next(request, context) }
    }

    private static func tooLarge(_ limit: Int) -> Problem {
        let size = limit % (1 << 20) == 0 ? "\(limit >> 20) MiB" : "\(limit / 1_000_000) MB"
        return Problem(.contentTooLarge, "too-large", detail: "the body must be at most \(size)")
    }

    /// Writes answer JSON; a client that accepts none of it learns so before the write happens.
    static func requireJSONAccepted(_ accept: String?) throws {
        guard let accept, !accept.trimmingWhitespace.isEmpty else { return }
        let acceptable = accept.split(separator: ",").contains { range in
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let refused = parts.dropFirst().contains { $0.replacingOccurrences(of: " ", with: "") == "q=0" }
            return !refused && ["*/*", "application/*", "application/json"].contains(parts.first ?? "")
        }
        if !acceptable {
            throw Problem(.notAcceptable, "not-acceptable", detail: "this operation answers application/json")
        }
    }
}

extension Request {
    /// Whether the request is for the JSON API, however its path is spelled (`//v1/…` routes too).
    var isAPI: Bool {
        // The first segment, empty ones skipped, is "v1".
        let path = uri.path.utf8.drop { $0 == UInt8(ascii: "/") }
        return path.starts(with: "v1".utf8) && (path.count == 2 || path.dropFirst(2).first == UInt8(ascii: "/"))
    }
}
