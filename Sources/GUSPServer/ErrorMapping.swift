import Foundation
import GUSPCore
import GUSPDatabase
import HTTPTypes
import Hummingbird
import OpenAPIRuntime

/// Turns whatever a handler or middleware threw into the problem the client should read.
/// Unknown errors become a bare 500: never a stack trace, never SQL.
enum ErrorMapping {
    static func problem(for error: any Error) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let server as ServerError:
            return problem(forServerError: server)
        case let failure as ValidationFailure:
            return Problem(.unprocessableContent, "validation", detail: "the request has invalid fields", errors: failure.errors)
        case let failure as AuthenticationFailure:
            var problem = Problem(.unauthorized, "unauthenticated", detail: failure.reason)
            problem.headers[.wwwAuthenticate] = "Bearer realm=\"gusp\""
            return problem
        case let domain as DomainError:
            switch domain {
            case .notFound(let detail): return Problem(.notFound, "not-found", detail: detail)
            case .forbidden(let detail): return Problem(.forbidden, "forbidden", detail: detail)
            case .conflict(let detail): return Problem(.conflict, "conflict", detail: detail)
            case .gone(let detail): return Problem(.gone, "gone", detail: detail)
            case .versionRequired(let detail): return Problem(.preconditionRequired, "version-required", detail: detail)
            case .versionMismatch(let current):
                var problem = Problem(
                    .preconditionFailed, "version-mismatch",
                    detail: "If-Match does not name the current version (\"\(current)\"); read it again")
                problem.headers[.eTag] = "\"\(current)\""
                return problem
            }
        case let decoding as DecodingError:
            return problem(forDecoding: decoding)
        case let unavailable as StorageUnavailable:
            var problem = Problem(
                .serviceUnavailable, "storage-unavailable",
                detail: "\(unavailable.reason): nothing was written; try again later")
            problem.headers[.retryAfter] = "5"
            return problem
        case let http as HTTPError:
            if http.status == .notFound { return Problem(.notFound, "not-found", detail: "no such route") }
            return Problem(http.status, "http", detail: http.body ?? http.status.reasonPhrase)
        default:
            return Problem(.internalServerError, "internal", detail: "an unexpected error occurred; it was logged")
        }
    }

    /// The generated server wraps everything: the handler's own errors (mapped as above), request
    /// decoding errors (the client's: 400 or 422), and the runtime's checks, whose status it computes
    /// (406 for an unacceptable `Accept`, 415, 400 for a missing parameter…).
    private static func problem(forServerError error: ServerError) -> Problem {
        let underlying = error.underlyingError
        if underlying is DecodingError || underlying is ValidationFailure || underlying is DomainError
            || underlying is AuthenticationFailure || underlying is Problem || underlying is StorageUnavailable
        {
            return problem(for: underlying)
        }
        let status = error.httpStatus
        if (400..<500).contains(status.code) {
            return Problem(status, "request", detail: error.causeDescription)
        }
        return Problem(.internalServerError, "internal", detail: "an unexpected error occurred; it was logged")
    }

    /// What the log may say of a failure: never the request's headers, input or output (tokens,
    /// passwords, new secrets), which the runtime's own description of its errors includes.
    static func logDescription(of error: any Error) -> String {
        if let server = error as? ServerError {
            return "\(server.operationID): \(server.causeDescription) \(logDescription(of: server.underlyingError))"
        }
        if let described = DatabaseFailure.logDescription(of: error) { return described }
        return "\(type(of: error)): \(error)"
    }

    private static func problem(forDecoding error: DecodingError) -> Problem {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = (path(context).isEmpty ? "" : path(context) + ".") + key.stringValue
            return invalid(field, "is required")
        case .typeMismatch(let type, let context):
            return invalid(path(context), "must be of type \(describe(type))")
        case .valueNotFound(let type, let context):
            return invalid(path(context), "must be a \(describe(type)), not null")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return Problem(.badRequest, "malformed", detail: "the body is not valid JSON")
            }
            return invalid(path(context), "has a value that is not allowed")
        @unknown default:
            return Problem(.badRequest, "malformed", detail: "the body could not be read")
        }
    }

    private static func invalid(_ field: String, _ message: String) -> Problem {
        Problem(
            .unprocessableContent, "validation", detail: "the request has invalid fields",
            errors: [FieldError(field: field.isEmpty ? "body" : field, message: message)])
    }

    private static func describe(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.contains("String") { return "string" }
        if name.contains("Int") { return "integer" }
        if name.contains("Bool") { return "boolean" }
        if name.contains("Double") || name.contains("Float") { return "number" }
        if name.contains("Array") { return "array" }
        return "object"
    }
}
