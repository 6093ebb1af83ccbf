import Foundation

extension MailMessage {
    /// The RFC 5322 message, CRLF line endings, lines ≤ 998 octets (≤ 78 preferred for headers, folded), ready for
    /// DATA (not dot-stuffed). Entirely 7-bit ASCII: headers use RFC 2047 where needed, bodies quoted-printable.
    ///
    /// A text or HTML body that does not end with a line break gets one. Throws when an address, the Message-ID,
    /// the unsubscribe URL or an extra header name is not acceptable (see ``MailMessageError``).
    public func rendered() throws(MailMessageError) -> String {
        try self.rendered(boundary: nil)
    }

    /// Renders with a given multipart boundary (tests), or a fresh random one when `boundary` is nil.
    func rendered(boundary: String?) throws(MailMessageError) -> String {
        try self.validate()
        var fields = [
            Self.field("Date", [RFC5322Date.string(from: self.date)]),
            Self.field("From") { HeaderEncoding.mailbox(self.from, prefixLength: $0) },
            Self.field("To") { HeaderEncoding.mailbox(self.to, prefixLength: $0) },
            Self.field("Subject") { HeaderEncoding.unstructured(self.subject, prefixLength: $0) },
            "Message-ID: <\(self.messageId)>",
        ]
        if let url = self.unsubscribeURL {
            fields.append("List-Unsubscribe: <\(url)>")
            fields.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        }
        for header in self.extraHeaders {
            fields.append(Self.field(header.name) { HeaderEncoding.unstructured(header.value, prefixLength: $0) })
        }
        fields.append("MIME-Version: 1.0")

        let textPart = Self.part(type: "text/plain", body: QuotedPrintable.encode(self.text))
        guard let html = self.html else {
            return (fields + [textPart]).joined(separator: "\r\n")
        }
        let htmlPart = Self.part(type: "text/html", body: QuotedPrintable.encode(html))
        var separator = boundary ?? MIMEBoundary.random()
        while textPart.contains(separator) || htmlPart.contains(separator) {
            separator = MIMEBoundary.random()
        }
        fields.append("Content-Type: multipart/alternative;\r\n boundary=\"\(separator)\"")
        // Each part ends with CRLF; the CRLF before "--boundary" belongs to the delimiter (RFC 2046 §5.1.1).
        let body = "\r\n--\(separator)\r\n\(textPart)\r\n--\(separator)\r\n\(htmlPart)\r\n--\(separator)--\r\n"
        return fields.joined(separator: "\r\n") + "\r\n" + body
    }

    /// Content headers, the blank line and the encoded body (which ends with CRLF) of one text part.
    private static func part(type: String, body: String) -> String {
        "Content-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + body
    }

    private static func field(_ name: String, _ segments: [String]) -> String {
        HeaderFolding.field(name, segments)
    }

    private static func field(_ name: String, segments: (Int) -> [String]) -> String {
        HeaderFolding.field(name, segments(HeaderFolding.prefixLength(name)))
    }

    private func validate() throws(MailMessageError) {
        for mailbox in [self.from, self.to] where !mailbox.isValid {
            throw .invalidAddress(mailbox.address)
        }
        if !Self.isValidMessageId(self.messageId) { throw .invalidMessageId(self.messageId) }
        if let url = self.unsubscribeURL, !Self.isValidUnsubscribeURL(url) { throw .invalidUnsubscribeURL(url) }
        for header in self.extraHeaders where !header.hasValidName {
            throw .invalidHeaderName(header.name)
        }
    }

    /// `id-left@id-right` (RFC 5322 §3.6.4) in dot-atom form, short enough for one header line.
    static func isValidMessageId(_ id: String) -> Bool {
        let parts = id.utf8.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        return parts.count == 2 && id.utf8.count <= 900 && parts.allSatisfy { MailSyntax.isDotAtom($0) }
    }

    /// An `https:` or `http:` URL of visible ASCII without `<`, `>` or `"`, short enough for one header line.
    static func isValidUnsubscribeURL(_ url: String) -> Bool {
        let lowercased = url.lowercased()
        guard lowercased.hasPrefix("https://") || lowercased.hasPrefix("http://"), url.utf8.count <= 900 else {
            return false
        }
        return url.utf8.allSatisfy { (0x21...0x7E).contains($0) && !"<>\"".utf8.contains($0) }
    }
}
