/// Character classes of RFC 5322 used by the validators and the header renderer.
enum MailSyntax {
    /// atext (RFC 5322 §3.2.3): letters, digits and ``!#$%&'*+-/=?^_`{|}~``.
    static func isAtext(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// dot-atom-text (RFC 5322 §3.2.3): atext runs separated by single dots, no leading or trailing dot.
    static func isDotAtom(_ bytes: some Collection<UInt8>) -> Bool {
        let atoms = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return atoms.allSatisfy { atom in !atom.isEmpty && atom.allSatisfy(isAtext) }
    }

    /// Printable US-ASCII including the space (VCHAR / SP).
    static func isPrintableASCII(_ byte: UInt8) -> Bool {
        (0x20...0x7E).contains(byte)
    }

    /// ftext (RFC 5322 §3.6.8): printable US-ASCII except the space and the colon.
    static func isFieldNameCharacter(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) && byte != UInt8(ascii: ":")
    }

    /// Turns every line break (CRLF, CR, LF) and tab into one space: a header field is one logical line, so a
    /// line break inside a subject, name or value can never start a new header field.
    static func singleLine(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\r":
                result.unicodeScalars.append(" ")
                previousWasCR = true
            case "\n":
                if !previousWasCR { result.unicodeScalars.append(" ") }
                previousWasCR = false
            case "\t", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}":
                result.unicodeScalars.append(" ")
                previousWasCR = false
            default:
                result.unicodeScalars.append(scalar)
                previousWasCR = false
            }
        }
        return result
    }
}
