/// One SMTP reply (RFC 5321 §4.2): a three-digit code and one or more lines of text.
struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    var code: Int
    /// The text of each line after the code and separator, in order.
    var lines: [String]

    /// The text of all lines joined with spaces, for messages.
    var text: String {
        self.lines.joined(separator: " ").trimmingSpaces()
    }

    /// `250 text`: the code and the joined text, for logs and failure messages.
    var description: String {
        self.text.isEmpty ? "\(self.code)" : "\(self.code) \(self.text)"
    }

    var isPositiveCompletion: Bool { (200...299).contains(self.code) }
    var isTransientNegative: Bool { (400...499).contains(self.code) }
    var isPermanentNegative: Bool { (500...599).contains(self.code) }
}

/// Why a server's reply could not be read.
enum SMTPReplyError: Error, Equatable {
    /// A line that is not `ddd`, `ddd text` or `ddd-text`, or a multi-line reply whose codes differ.
    case malformed(String)
    /// More lines in one reply than ``SMTPReplyAssembler/maximumLines``.
    case tooManyLines
}

/// Collects reply lines (`250-first`, `250-second`, `250 last`) into ``SMTPReply`` values.
struct SMTPReplyAssembler {
    /// A generous bound on one reply: EHLO lists a few dozen extensions at most.
    static let maximumLines = 200

    private var code: Int?
    private var lines: [String] = []

    /// Whether part of a multi-line reply has been read.
    var isEmpty: Bool { self.code == nil }

    /// Adds one line (without CRLF); returns the reply it completes, if any.
    mutating func add(_ line: String) throws(SMTPReplyError) -> SMTPReply? {
        let bytes = Array(line.utf8)
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard bytes.count >= 3, (UInt8(ascii: "2")...UInt8(ascii: "5")).contains(bytes[0]),
            digits.contains(bytes[1]), digits.contains(bytes[2])
        else { throw .malformed(Self.excerpt(line)) }
        let code =
            Int(bytes[0] - digits.lowerBound) * 100 + Int(bytes[1] - digits.lowerBound) * 10
            + Int(bytes[2] - digits.lowerBound)
        let separator = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else { throw .malformed(Self.excerpt(line)) }
        if let expected = self.code, expected != code { throw .malformed(Self.excerpt(line)) }
        self.code = code
        self.lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        guard self.lines.count <= Self.maximumLines else { throw .tooManyLines }
        guard separator == UInt8(ascii: " ") else { return nil }
        defer {
            self.code = nil
            self.lines = []
        }
        return SMTPReply(code: code, lines: self.lines)
    }

    private static func excerpt(_ line: String) -> String {
        String(reflecting: String(line.prefix(100)))
    }
}

extension String {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
