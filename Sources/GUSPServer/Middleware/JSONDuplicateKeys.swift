/// Checks that a JSON body names each member of each object once, and that it is one JSON value in
/// UTF-8 (no byte-order mark, nothing after it). RFC 8259 leaves what a repeated member means to each
/// reader, and two readers of one body (the login limiter and the login itself) could take different
/// ones: so every JSON body gusp accepts names each member once, and a body this scanner cannot follow
/// is refused rather than left to readers that might follow it differently. Keys are compared decoded
/// (`"email"` and `"\u0065mail"` are one name). Linear in the body: a member's path is built only for
/// the answer.
enum JSONDuplicateKeys {
    enum Finding: Equatable {
        /// The path of the first member named twice (`email`, `location.lat`, `items[2].id`), at most
        /// 200 characters.
        case duplicate(String)
        case malformed
    }

    /// Nil when the body is one well-formed JSON value whose objects name each member once.
    static func check(_ bytes: [UInt8]) -> Finding? {
        var scanner = Scanner(bytes: bytes)
        if let finding = scanner.value() { return finding }
        scanner.skipWhitespace()
        return scanner.index == bytes.count ? nil : .malformed
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        /// The members and positions from the top to the value being scanned.
        var path: [PathPart] = []

        enum PathPart {
            case member(String)
            case position(Int)
        }

        init(bytes: [UInt8]) { self.bytes = bytes }

        var pathText: String {
            var text = ""
            for part in path {
                switch part {
                case .member(let name): text += text.isEmpty ? name : "." + name
                case .position(let position): text += "[\(position)]"
                }
                if text.count > 200 { return String(text.prefix(200)) }
            }
            return text
        }

        /// Scans one value; a finding inside it, if any.
        mutating func value() -> Finding? {
            skipWhitespace()
            guard index < bytes.count, path.count <= 512 else { return .malformed }
            switch bytes[index] {
            case UInt8(ascii: "{"): return object()
            case UInt8(ascii: "["): return array()
            case UInt8(ascii: "\""): return string() == nil ? .malformed : nil
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                // A number, true, false or null: up to the next delimiter (the decoder checks its form).
                let start = index
                while index < bytes.count, !Self.delimiters.contains(bytes[index]) { index += 1 }
                return index > start ? nil : .malformed
            default:
                return .malformed
            }
        }

        static let delimiters: Set<UInt8> = [UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D]

        mutating func object() -> Finding? {
            index += 1
            var names = Set<String>()
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return nil
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let name = string() else { return .malformed }
                path.append(.member(name))
                if !names.insert(name).inserted { return .duplicate(pathText) }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return .malformed }
                index += 1
                if let finding = value() { return finding }
                path.removeLast()
                skipWhitespace()
                guard index < bytes.count else { return .malformed }
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return nil
                }
                guard bytes[index] == UInt8(ascii: ",") else { return .malformed }
                index += 1
            }
        }

        mutating func array() -> Finding? {
            index += 1
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return nil
            }
            var position = 0
            while true {
                path.append(.position(position))
                if let finding = value() { return finding }
                path.removeLast()
                skipWhitespace()
                guard index < bytes.count else { return .malformed }
                if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return nil
                }
                guard bytes[index] == UInt8(ascii: ",") else { return .malformed }
                index += 1
                position += 1
            }
        }

        /// A string's decoded text, the index past its closing quote; nil when malformed.
        mutating func string() -> String? {
            index += 1
            var scalars = String.UnicodeScalarView()
            var start = index
            var plain: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    plain += bytes[start..<index]
                    index += 1
                    scalars.append(contentsOf: String(decoding: plain, as: UTF8.self).unicodeScalars)
                    return String(scalars)
                }
                if byte == UInt8(ascii: "\\") {
                    plain += bytes[start..<index]
                    scalars.append(contentsOf: String(decoding: plain, as: UTF8.self).unicodeScalars)
                    plain = []
                    guard let escaped = escape() else { return nil }
                    scalars.append(contentsOf: escaped.unicodeScalars)
                    start = index
                    continue
                }
                index += 1
            }
            return nil
        }

        /// One escape sequence from the backslash on; a surrogate pair as one scalar.
        mutating func escape() -> String? {
            index += 1
            guard index < bytes.count else { return nil }
            let letter = bytes[index]
            index += 1
            switch letter {
            case UInt8(ascii: "\""): return "\""
            case UInt8(ascii: "\\"): return "\\"
            case UInt8(ascii: "/"): return "/"
            case UInt8(ascii: "b"): return "\u{08}"
            case UInt8(ascii: "f"): return "\u{0C}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"):
                guard let high = hex4() else { return nil }
                if (0xD800...0xDBFF).contains(high), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                {
                    index += 2
                    guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                    return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)).map { String($0) }
                }
                return String(Unicode.Scalar(high) ?? "\u{FFFD}")
            default: return nil
            }
        }

        mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
            else { return nil }
            index += 4
            return value
        }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }
    }
}
