/// Folds a header field into lines of at most 78 characters where the content allows (RFC 5322 §2.2.3).
enum HeaderFolding {
    static let preferredLineLength = 78

    /// `Name: ` followed by `segments`; every segment after the first starts with white space, and a fold
    /// (CRLF) may be put before it. A segment of white space only is never put on a line of its own.
    /// A single segment longer than a line stays whole: callers keep segments under 998 octets.
    static func field(_ name: String, _ segments: [String]) -> String {
        var lines: [String] = []
        var line = name + ":"
        for (index, segment) in segments.enumerated() {
            let separator = index == 0 ? " " : ""
            let isBlank = segment.allSatisfy { $0 == " " }
            let canFold = index > 0 && !isBlank
            if canFold && line.utf8.count + segment.utf8.count > preferredLineLength {
                lines.append(line)
                line = segment
            } else {
                line += separator + segment
            }
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }

    /// The length of `Name: `, i.e. what the first segment shares its line with.
    static func prefixLength(_ name: String) -> Int {
        name.utf8.count + 2
    }
}
