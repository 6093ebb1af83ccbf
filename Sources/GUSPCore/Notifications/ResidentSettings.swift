import Foundation
import GUSPMail

/// How gusp talks to residents: the prefix of public references, where its public pages are, the mail
/// relay (none: no email at all), and how long the feedback and access-log records live.
public struct ResidentSettings: Sendable {
    /// Begins every public reference (`GUSP_REFERENCE_PREFIX`): 2 to 8 capitals or digits.
    public var referencePrefix = "GUSP"
    /// The public base URL of this deployment, for the links in messages (`GUSP_PUBLIC_URL`).
    public var publicURL = "http://127.0.0.1:8080"
    /// Nil: no email is sent, and none is queued.
    public var mail: MailSettings?
    /// "Est-ce réglé ?" is asked this long after resolution (`GUSP_FEEDBACK_DELAY_DAYS`).
    public var feedbackDelay: TimeInterval = 7 * 86_400
    /// A questionnaire's links work this long after it is sent.
    public var feedbackLifetime: TimeInterval = 30 * 86_400
    /// An answer given by opening a link takes effect this long after, unless changed or confirmed first.
    public var provisionalAnswerDelay: TimeInterval = 3_600
    /// How long the log of staff reads of contact data keeps an entry (`GUSP_ACCESS_LOG_RETENTION_DAYS`).
    public var accessLogRetention: TimeInterval = 365 * 86_400
    /// How long a sent message's record (kind, date, recipient's hash: never its text) is kept.
    public var notificationRetention: TimeInterval = 365 * 86_400

    public init() {}
}

/// The mail relay and the sender's address (`GUSP_SMTP_URL`, `GUSP_MAIL_FROM`).
public struct MailSettings: Sendable {
    public var smtp: SMTPConfiguration
    public var from: MailAddress

    /// Checks both settings; the error names the variable that is wrong.
    public init(smtpURL: String, from: String, fromName: String? = nil) throws {
        do { smtp = try SMTPConfiguration(url: smtpURL) } catch { throw MailSettingsError("GUSP_SMTP_URL: \(error.description)") }
        self.from = MailAddress(from.trimmingWhitespace, name: fromName)
        guard self.from.isValid else {
            throw MailSettingsError("GUSP_MAIL_FROM must be a plain address such as gusp@ville.example.org")
        }
    }
}

public struct MailSettingsError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
