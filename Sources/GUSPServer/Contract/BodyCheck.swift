import GUSPCore

/// What the contract says of a JSON body beyond what the generated decoding checks: every property
/// is one the schema names (an unknown one is refused and named, whatever its value, `null` included),
/// and every integer is whole and within the schema's bounds (64 bits when it sets none), so that
/// `1e30` for a year is a 422 naming `year`, not a 400 about the whole body.
struct BodyCheck {
    let rules: ContractRules
    private(set) var errors: [FieldError] = []

    init(rules: ContractRules) { self.rules = rules }

    mutating func walk(_ value: JSONValue, _ schema: SpecNode, path: String, depth: Int = 0) {
        guard depth < 32, errors.count < 20 else { return }
        let schema = rules.resolve(schema)
        let branches = (schema["allOf"]?.array ?? []) + (schema["oneOf"]?.array ?? []) + (schema["anyOf"]?.array ?? [])
        if !branches.isEmpty {
            walkBranches(value, branches.map(rules.resolve), path: path, depth: depth)
            return
        }
        switch value {
        case .object(let members):
            guard schema["type"]?.string == "object" || schema["properties"] != nil else { return }
            let properties = schema["properties"]?.members ?? [:]
            let additional = schema["additionalProperties"]
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                let field = path.isEmpty ? name : "\(path).\(name)"
                if let property = properties[name] {
                    walk(member, property, path: field, depth: depth + 1)
                } else if let additional, additional.bool != false {
                    if additional.members != nil { walk(member, additional, path: field, depth: depth + 1) }
                } else {
                    errors.append(FieldError(field: field, message: "is not a property of this request"))
                }
            }
        case .array(let items):
            guard let itemSchema = schema["items"] else { return }
            for (index, item) in items.enumerated() { walk(item, itemSchema, path: "\(path)[\(index)]", depth: depth + 1) }
        case .integer(let number):
            guard schema["type"]?.string == "integer" else { return }
            let outside =
                (schema["minimum"]?.number.map { Double(number) < $0 } ?? false) || (schema["maximum"]?.number.map { Double(number) > $0 } ?? false)
            if outside { errors.append(FieldError(field: path, message: "must be a whole number\(ParameterCheck.range(schema))")) }
        case .number(let number):
            guard schema["type"]?.string == "integer" else { return }
            let message = number.rounded() == number ? "must be a whole number\(ParameterCheck.range(schema))" : "must be a whole number"
            errors.append(FieldError(field: path, message: message))
        case .null, .bool, .string:
            return
        }
    }

    /// A value under `allOf`/`oneOf`/`anyOf`: an object's property is known when any branch names it
    /// and is checked against the first that does.
    private mutating func walkBranches(_ value: JSONValue, _ branches: [SpecNode], path: String, depth: Int) {
        guard case .object(let members) = value else {
            if let first = branches.first { walk(value, first, path: path, depth: depth + 1) }
            return
        }
        let open = branches.contains { branch in
            (branch["properties"] == nil && branch["type"]?.string != "object") || (branch["additionalProperties"].map { $0.bool != false } ?? false)
        }
        for (name, member) in members.sorted(by: { $0.key < $1.key }) {
            let field = path.isEmpty ? name : "\(path).\(name)"
            if let property = branches.lazy.compactMap({ $0["properties"]?[name] }).first {
                walk(member, property, path: field, depth: depth + 1)
            } else if !open {
                errors.append(FieldError(field: field, message: "is not a property of this request"))
            }
        }
    }
}
