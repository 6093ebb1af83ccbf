import Foundation

/// An Open311 answer as a tree, written as XML (the specification's primary format) or JSON by the
/// specification's mapping: the root element is dropped, a list becomes an array, an absent value
/// is an empty element in XML and `null` in JSON.
indirect enum Open311Value {
    case text(String?)
    case number(Double?)
    case integer(Int)
    case boolean(Bool)
    case object([(String, Open311Value)])
    /// Repeated child elements named `item` in XML; an array in JSON.
    case list(item: String, [Open311Value])
}

enum Open311Format: String {
    case json, xml

    var contentType: String {
        switch self {
        case .json: "application/json; charset=utf-8"
        case .xml: "text/xml; charset=utf-8"
        }
    }

    /// Splits `requests.json` into `requests` and its format.
    static func split(_ segment: Substring) -> (name: String, format: Open311Format)? {
        guard let dot = segment.lastIndex(of: "."), let format = Open311Format(rawValue: String(segment[segment.index(after: dot)...])) else {
            return nil
        }
        return (String(segment[..<dot]), format)
    }
}

struct Open311Document {
    var root: String
    var value: Open311Value

    func rendered(as format: Open311Format) -> [UInt8] {
        switch format {
        case .json:
            let object = Self.json(value)
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])) ?? Data("null".utf8)
            return Array(data)
        case .xml:
            var text = #"<?xml version="1.0" encoding="utf-8"?>"# + "\n"
            Self.xml(root, value, into: &text)
            return Array(text.utf8)
        }
    }

    private static func json(_ value: Open311Value) -> Any {
        switch value {
        case .text(let text): text ?? NSNull()
        case .number(let number): number ?? NSNull()
        case .integer(let integer): integer
        case .boolean(let boolean): boolean
        case .object(let fields): Dictionary(fields.map { ($0.0, json($0.1)) }, uniquingKeysWith: { first, _ in first })
        case .list(_, let items): items.map(json)
        }
    }

    private static func xml(_ name: String, _ value: Open311Value, into text: inout String) {
        switch value {
        case .text(nil), .number(nil):
            text += "<\(name)/>"
        case .text(let string?):
            text += "<\(name)>\(escaped(string))</\(name)>"
        case .number(let number?):
            text += "<\(name)>\(number)</\(name)>"
        case .integer(let integer):
            text += "<\(name)>\(integer)</\(name)>"
        case .boolean(let boolean):
            text += "<\(name)>\(boolean)</\(name)>"
        case .object(let fields):
            text += "<\(name)>"
            for (field, child) in fields { xml(field, child, into: &text) }
            text += "</\(name)>"
        case .list(let item, let items):
            text += "<\(name)>"
            for child in items { xml(item, child, into: &text) }
            text += "</\(name)>"
        }
    }

    /// XML text with markup characters escaped and characters XML 1.0 cannot carry removed.
    static func escaped(_ string: String) -> String {
        var result = ""
        result.reserveCapacity(string.utf8.count)
        for scalar in string.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20, scalar.value != 0xFFFE, scalar.value != 0xFFFF { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }
}

/// An Open311 error answer: `[{code, description}]`, `<errors><error>…`.
/// One error description in French (the default) and in English (`Accept-Language: en…`).
struct Open311Text: Sendable {
    let french: String
    let english: String
}

/// The language of Open311 error descriptions: French unless the client's first choice is English.
enum Open311Language {
    case french, english

    init(acceptLanguage: String?) {
        let first = acceptLanguage?.split(separator: ",").first?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        self = first?.hasPrefix("en") == true ? .english : .french
    }
}

struct Open311Error: Error {
    var status: Int
    var descriptions: [Open311Text]

    init(_ status: Int, _ french: String, en english: String) {
        self.status = status
        self.descriptions = [Open311Text(french: french, english: english)]
    }

    init(_ status: Int, descriptions: [Open311Text]) {
        self.status = status
        self.descriptions = descriptions
    }

    func document(_ language: Open311Language) -> Open311Document {
        Open311Document(
            root: "errors",
            value: .list(
                item: "error",
                descriptions.map {
                    .object([("code", .integer(status)), ("description", .text(language == .english ? $0.english : $0.french))])
                }))
    }
}
