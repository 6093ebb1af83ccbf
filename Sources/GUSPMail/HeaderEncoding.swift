/// Turns header text into segments for ``HeaderFolding``: plain where that is safe, RFC 2047 otherwise.
///
/// Every input goes through ``MailSyntax/singleLine(_:)`` first, and anything that is not printable ASCII
/// afterwards is encoded, so no input can produce a line break or a control character in the header block.
enum HeaderEncoding {
    /// Longest plain token kept as is; a longer run without spaces is encoded so that it can be folded.
    private static let longestPlainToken = 900

    /// An unstructured field body (Subject, extra headers).
    static func unstructured(_ value: String, prefixLength: Int) -> [String] {
        let text = MailSyntax.singleLine(value)
        if isPlain(text) {
            let segments = splitAtSpaces(text)
            if segments.allSatisfy({ $0.utf8.count <= longestPlainToken }) { return segments }
        }
        return encoded(text, prefixLength: prefixLength)
    }

    /// A display name (an RFC 5322 phrase): atoms as is, other ASCII as a quoted-string, the rest encoded.
    static func phrase(_ name: String, prefixLength: Int) -> [String] {
        let text = MailSyntax.singleLine(name)
        guard isPlain(text), text.utf8.count <= longestPlainToken else {
            return encoded(text, prefixLength: prefixLength)
        }
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        let isAtoms = words.allSatisfy { word in !word.isEmpty && word.utf8.allSatisfy(MailSyntax.isAtext) }
        if isAtoms {
            return words.enumerated().map { index, word in index == 0 ? String(word) : " " + word }
        }
        var quoted = "\""
        for character in text {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return [quoted + "\""]
    }

    /// A mailbox: `addr@example.org`, or a display name and `<addr@example.org>`. The address must be valid.
    static func mailbox(_ mailbox: MailAddress, prefixLength: Int) -> [String] {
        guard let name = mailbox.name, !MailSyntax.singleLine(name).allSatisfy({ $0 == " " }) else {
            return [mailbox.address]
        }
        return phrase(name, prefixLength: prefixLength) + [" <\(mailbox.address)>"]
    }

    /// Printable ASCII that no decoder could mistake for an encoded-word.
    private static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy(MailSyntax.isPrintableASCII) && !text.contains("=?")
    }

    /// Splits before each run of spaces that follows visible text, keeping every character.
    private static func splitAtSpaces(_ text: String) -> [String] {
        var segments: [String] = []
        var current = ""
        for character in text {
            if character == " " && current.contains(where: { $0 != " " }) {
                segments.append(current)
                current = ""
            }
            current.append(character)
        }
        segments.append(current)
        return segments
    }

    private static func encoded(_ text: String, prefixLength: Int) -> [String] {
        let words = EncodedWords.encode(text, firstWordLength: 76 - prefixLength)
        return words.enumerated().map { index, word in index == 0 ? word : " " + word }
    }
}
