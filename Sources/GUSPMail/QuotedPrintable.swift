/// Quoted-printable body encoding (RFC 2045 §6.7) that keeps a UTF-8 body 7-bit clean.
enum QuotedPrintable {
    /// RFC 2045 §6.7 (5): encoded lines are at most 76 characters, the soft line break `=` included.
    static let maximumLineLength = 76

    /// Encodes `text` line by line: CRLF, CR and LF all end a line and become CRLF; the result always ends with
    /// CRLF. `=`, non-ASCII bytes, control characters and white space at the end of a line are `=XX`-escaped,
    /// and longer lines get soft line breaks. A leading `.` stays as is: SMTP dot-stuffing is the transport's job.
    static func encode(_ text: String) -> String {
        var lines = text.replacingLineBreaks().split(separator: "\n", omittingEmptySubsequences: false)
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        var output = ""
        output.reserveCapacity(text.utf8.count + text.utf8.count / 4)
        for line in lines {
            encodeLine(Array(line.utf8), into: &output)
        }
        return output
    }

    private static func encodeLine(_ bytes: [UInt8], into output: inout String) {
        var length = 0
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let token = token(for: byte, atEndOfLine: isLast)
            // The last token may use the 76th column; any other must leave room for the soft break "=".
            let limit = isLast ? maximumLineLength : maximumLineLength - 1
            if length + token.utf8.count > limit {
                output += "=\r\n"
                length = 0
            }
            output += token
            length += token.utf8.count
        }
        output += "\r\n"
    }

    private static func token(for byte: UInt8, atEndOfLine: Bool) -> String {
        let isWhiteSpace = byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
        if (0x21...0x7E).contains(byte) && byte != UInt8(ascii: "=") || isWhiteSpace && !atEndOfLine {
            return String(UnicodeScalar(byte))
        }
        let hex = Array("0123456789ABCDEF".utf8)
        return String(decoding: [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]], as: UTF8.self)
    }
}

extension StringProtocol {
    /// The text with CRLF and lone CR line breaks turned into LF.
    func replacingLineBreaks() -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(self.unicodeScalars.count)
        var previousWasCR = false
        for scalar in self.unicodeScalars {
            if scalar == "\r" {
                result.unicodeScalars.append("\n")
                previousWasCR = true
                continue
            }
            if !(scalar == "\n" && previousWasCR) { result.unicodeScalars.append(scalar) }
            previousWasCR = false
        }
        return result
    }
}
