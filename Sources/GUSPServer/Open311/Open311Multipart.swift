/// A `multipart/form-data` body (RFC 7578), what Open311 clients such as `three` send when a photo
/// goes with the request: each part's name, file name, media type and bytes.
struct Open311Multipart {
    struct Part {
        var name: String
        var filename: String?
        var contentType: String?
        var bytes: [UInt8]
    }

    /// The boundary of a `multipart/form-data` Content-Type, or nil for another type.
    static func boundary(of contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value =
                    pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
                return (1...70).contains(value.count) ? value : nil
            }
        }
        return nil
    }

    /// The parts, or nil when the body does not follow its boundary.
    static func parts(of body: [UInt8], boundary: String) -> [Part]? {
        let delimiter = Array("--\(boundary)".utf8)
        var starts: [Int] = []
        var index = 0
        while let found = find(delimiter, in: body, from: index) {
            starts.append(found)
            index = found + delimiter.count
        }
        guard starts.count >= 2 else { return nil }
        var parts: [Part] = []
        for (start, end) in zip(starts, starts.dropFirst()) {
            var from = start + delimiter.count
            guard from + 2 <= body.count, body[from] == 13, body[from + 1] == 10 else { return nil }
            from += 2
            // The part ends before the CRLF that precedes the next delimiter.
            let to = end - 2
            guard to >= from, body[to] == 13, body[to + 1] == 10 else { return nil }
            guard let headerEnd = find([13, 10, 13, 10], in: body, from: from), headerEnd <= to else { return nil }
            let headers = String(decoding: body[from..<headerEnd], as: UTF8.self)
            var part = Part(name: "", bytes: Array(body[(headerEnd + 4)..<to]))
            for line in headers.split(separator: "\r\n") {
                let pair = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2 else { continue }
                switch pair[0].lowercased() {
                case "content-disposition":
                    part.name = parameter("name", in: pair[1]) ?? ""
                    part.filename = parameter("filename", in: pair[1])
                case "content-type": part.contentType = pair[1].lowercased()
                default: break
                }
            }
            guard !part.name.isEmpty else { return nil }
            parts.append(part)
        }
        return parts
    }

    private static func parameter(_ name: String, in header: String) -> String? {
        for item in header.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == name else { continue }
            let value = pair[1]
            return value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 ? String(value.dropFirst().dropLast()) : value
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], Array(haystack[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }
}
