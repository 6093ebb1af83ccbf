import Foundation
import Yams

/// What the contract says each operation takes, read once from the `openapi.yaml` the binary ships:
/// whether it needs a caller, its path, query and header parameters with their schemas, and the
/// schema of its JSON body. `ContractValidationMiddleware` checks requests against it, so that what
/// the contract declares (types, formats, bounds, enums, patterns, known properties) is what the
/// server enforces, with errors naming the parameter or field.
final class ContractRules: Sendable {
    struct Parameter: Sendable {
        enum Location: String, Sendable { case path, query, header }
        let name: String
        let location: Location
        let required: Bool
        let schema: SpecNode
    }

    struct Operation: Sendable {
        let requiresCaller: Bool
        let parameters: [Parameter]
        let body: SpecNode?
        /// Its successful answer comes in more than one media type, chosen by `Accept`.
        let negotiated: Bool
    }

    let operations: [String: Operation]
    let schemas: [String: SpecNode]

    /// Read once per process (the tests build many routers).
    static let shared = Result { try ContractRules(yaml: String(decoding: Contract.yaml(), as: UTF8.self)) }

    init(yaml: String) throws {
        let document = SpecNode(yaml: try Yams.load(yaml: yaml))
        let components = document["components"]
        schemas = components?["schemas"]?.members ?? [:]
        let sharedParameters = components?["parameters"]?.members ?? [:]
        let globalSecurity = !(document["security"]?.array?.isEmpty ?? true)
        func parameter(_ node: SpecNode) -> Parameter? {
            var node = node
            if let ref = node["$ref"]?.string, let name = ref.split(separator: "/").last { node = sharedParameters[String(name)] ?? .null }
            guard let name = node["name"]?.string, let location = node["in"]?.string.flatMap(Parameter.Location.init(rawValue:)) else {
                return nil
            }
            return Parameter(
                name: name, location: location, required: node["required"]?.bool ?? (location == .path), schema: node["schema"] ?? .null)
        }
        var operations: [String: Operation] = [:]
        for (path, item) in document["paths"]?.members ?? [:] {
            let common = item["parameters"]?.array ?? []
            for method in ["get", "put", "post", "delete", "patch"] {
                guard let operation = item[method] else { continue }
                let security = operation["security"]?.array
                // `security: []`, or a list holding `{}`, lets a request in without credentials.
                let requiresCaller =
                    security.map { list in !list.isEmpty && !list.contains { $0.members?.isEmpty ?? false } } ?? globalSecurity
                let parameters = (common + (operation["parameters"]?.array ?? [])).compactMap(parameter)
                let content = operation["requestBody"]?["content"]
                let body = content?["application/json"]?["schema"] ?? content?["application/merge-patch+json"]?["schema"]
                let answers = operation["responses"]?["200"]?["content"]?.members?.count ?? 0
                operations["\(method.uppercased()) \(path)"] = Operation(
                    requiresCaller: requiresCaller, parameters: parameters, body: body, negotiated: answers > 1)
            }
        }
        self.operations = operations
    }

    func operation(method: String, template: String) -> Operation? {
        operations["\(method == "HEAD" ? "GET" : method) \(template)"]
    }

    /// The schema a `$ref` names, or the node itself.
    func resolve(_ node: SpecNode) -> SpecNode {
        var node = node
        var hops = 0
        while let ref = node["$ref"]?.string, hops < 16, let name = ref.split(separator: "/").last {
            node = schemas[String(name)] ?? .null
            hops += 1
        }
        return node
    }
}
