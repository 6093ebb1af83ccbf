/// What a server advertised in its EHLO reply (RFC 5321 §4.1.1.1): one keyword and its parameters per line
/// after the first, which is the server's greeting.
struct SMTPServerExtensions: Sendable, Equatable {
    /// Every keyword, upper-cased, with its parameters.
    var keywords: [String: [String]] = [:]

    init(keywords: [String: [String]] = [:]) {
        self.keywords = keywords
    }

    /// Parses the lines of a 250 reply to EHLO.
    init(ehloReply reply: SMTPReply) {
        for line in reply.lines.dropFirst() {
            let words = line.split(separator: " ")
            guard let first = words.first else { continue }
            // Old servers write "AUTH=PLAIN LOGIN"; treat it as "AUTH PLAIN LOGIN".
            var keyword = first.uppercased()
            var parameters = words.dropFirst().map(String.init)
            if let equals = keyword.firstIndex(of: "=") {
                let value = String(keyword[keyword.index(after: equals)...])
                keyword = String(keyword[..<equals])
                if !value.isEmpty { parameters.insert(value, at: 0) }
            }
            self.keywords[keyword, default: []].append(contentsOf: parameters)
        }
    }

    var supportsStartTLS: Bool { self.keywords["STARTTLS"] != nil }
    var supports8BitMIME: Bool { self.keywords["8BITMIME"] != nil }
    var supportsSMTPUTF8: Bool { self.keywords["SMTPUTF8"] != nil }

    /// The AUTH mechanisms offered, upper-cased (RFC 4954 §3).
    var authMechanisms: Set<String> {
        Set((self.keywords["AUTH"] ?? []).map { $0.uppercased() })
    }

    /// Whether SIZE (RFC 1870) is offered; ``maximumSize`` is its limit, nil when none is declared (or 0).
    var supportsSize: Bool { self.keywords["SIZE"] != nil }
    var maximumSize: Int? {
        guard let value = self.keywords["SIZE"]?.first, let size = Int(value), size > 0 else { return nil }
        return size
    }
}
