/// A node of the contract (`openapi.yaml`) as read at start: what the validation of requests walks.
indirect enum SpecNode: Sendable {
    case object([String: SpecNode])
    case array([SpecNode])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// Converts what the YAML parser gives (dictionaries, arrays, scalars).
    init(yaml: Any?) {
        switch yaml {
        case let dictionary as [String: Any]: self = .object(dictionary.mapValues { SpecNode(yaml: $0) })
        case let dictionary as [AnyHashable: Any]:
            self = .object(Dictionary(uniqueKeysWithValues: dictionary.map { ("\($0.key)", SpecNode(yaml: $0.value)) }))
        case let array as [Any]: self = .array(array.map { SpecNode(yaml: $0) })
        case let bool as Bool: self = .bool(bool)
        case let int as Int: self = .number(Double(int))
        case let double as Double: self = .number(double)
        case let string as String: self = .string(string)
        default: self = .null
        }
    }

    subscript(key: String) -> SpecNode? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var string: String? { if case .string(let value) = self { value } else { nil } }
    var number: Double? { if case .number(let value) = self { value } else { nil } }
    var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    var array: [SpecNode]? { if case .array(let value) = self { value } else { nil } }
    var members: [String: SpecNode]? { if case .object(let value) = self { value } else { nil } }
}
