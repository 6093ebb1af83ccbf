import Foundation

/// One message to send: a text part always, an HTML part optionally (then multipart/alternative).
///
/// ``rendered()`` turns it into RFC 5322 text; ``SMTPClient/send(_:)`` renders and delivers it.
public struct MailMessage: Sendable {
    public var from: MailAddress
    public var to: MailAddress
    public var subject: String
    public var text: String
    public var html: String?
    /// Full Message-ID value without angle brackets, e.g. "ntf_abc@gusp.example.org".
    public var messageId: String
    public var date: Date
    /// When set: `List-Unsubscribe: <url>` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058,
    /// which asks for an HTTPS URL that accepts a POST without further confirmation).
    public var unsubscribeURL: String?
    /// Extra header fields, e.g. `MailHeader("Auto-Submitted", "auto-generated")`, written after the standard ones.
    public var extraHeaders: [MailHeader]

    public init(
        from: MailAddress,
        to: MailAddress,
        subject: String,
        text: String,
        html: String? = nil,
        messageId: String,
        date: Date = Date(),
        unsubscribeURL: String? = nil,
        extraHeaders: [MailHeader] = []
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.messageId = messageId
        self.date = date
        self.unsubscribeURL = unsubscribeURL
        self.extraHeaders = extraHeaders
    }
}
