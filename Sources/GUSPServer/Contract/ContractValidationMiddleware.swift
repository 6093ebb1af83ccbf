import Foundation
import GUSPCore
import HTTPTypes
import Hummingbird

/// Checks a request against the contract before its handler runs, after authentication: an operation
/// that needs a caller answers 401 without one whatever else is wrong; then every path, query and
/// header parameter is checked against its schema, and a JSON body for unknown properties and
/// integers out of bounds (`BodyCheck`). All that is wrong is one 422 listing each parameter or field
/// by name. Routes outside the generated API (Open311, the residents' pages) have their own checks.
struct ContractValidationMiddleware<Context: RequestContext>: RouterMiddleware {
    let rules: ContractRules

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.isAPI || request.uri.path == "/health" || request.uri.path == "/ready",
            let template = context.endpointPath, let operation = rules.operation(method: request.method.rawValue, template: template)
        else { return try await next(request, context) }
        if operation.requiresCaller, RequestState.current.actor == nil {
            throw AuthenticationFailure("this operation needs a token (Authorization: Bearer …)")
        }
        var errors: [FieldError] = []
        let query = request.uri.queryParameters
        for parameter in operation.parameters {
            let values: [String]
            switch parameter.location {
            case .path: values = context.parameters.get(parameter.name).map { [$0.removingPercentEncoding ?? $0] } ?? []
            case .query: values = query.getAll(parameter.name).map { String($0) }
            case .header: values = HTTPField.Name(parameter.name).map { request.headers[values: $0] } ?? []
            }
            if values.isEmpty || (parameter.location == .query && values == [""]) {
                if parameter.required { errors.append(FieldError(field: parameter.name, message: "is required")) }
                continue
            }
            let schema = rules.resolve(parameter.schema)
            if schema["type"]?.string == "array" {
                // Either spelling: repeated (`status=a&status=b`) or comma-separated (`status=a,b`), as the server reads both.
                let items = values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
                if let problem = items.lazy.compactMap({ ParameterCheck.problem(with: $0, schema: schema["items"] ?? .null, rules: rules) }).first {
                    errors.append(FieldError(field: parameter.name, message: problem))
                }
            } else if values.count > 1, parameter.location == .query {
                errors.append(FieldError(field: parameter.name, message: "must be given once"))
            } else if let problem = ParameterCheck.problem(with: values[0], schema: schema, rules: rules) {
                errors.append(FieldError(field: parameter.name, message: problem))
            }
        }
        if let schema = operation.body, !RequestState.current.body.isEmpty, Self.isJSON(request),
            let body = try? JSONDecoder().decode(JSONValue.self, from: Data(RequestState.current.body))
        {
            var check = BodyCheck(rules: rules)
            check.walk(body, schema, path: "")
            errors += check.errors
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        var response = try await next(request, context)
        // A cache must not give a CSV to a client that asked for JSON, or the other way round.
        if operation.negotiated { response.headers.append(HTTPField(name: .vary, value: "Accept")) }
        return response
    }

    private static func isJSON(_ request: Request) -> Bool {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        return type.hasPrefix("application/json") || type.hasPrefix("application/merge-patch+json")
    }
}
