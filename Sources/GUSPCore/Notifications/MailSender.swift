import Foundation
import GUSPMail
import Logging

/// Sends claimed messages through the relay, a few at a time, one SMTP connection each; the outcome of
/// each attempt and the release of its claim commit together (`recordMail`).
public final class MailSender: Sendable {
    let store: Store
    let logger: Logger
    let client: SMTPClient
    let settings: MailSettings
    /// This process's name on the leases it takes.
    public let owner = Identifier.make("wkr")
    let concurrency: Int
    /// The right-hand side of every Message-ID: the host of the public URL.
    let messageIdHost: String

    public init(store: Store, settings: MailSettings, logger: Logger, concurrency: Int = 4) {
        self.store = store
        self.settings = settings
        self.logger = logger
        self.client = SMTPClient(configuration: settings.smtp)
        self.concurrency = concurrency
        self.messageIdHost = URL(string: store.settings.residents.publicURL)?.host ?? "gusp.invalid"
    }

    /// One round: claim due messages, send them. Whether more may be waiting.
    public func step() async throws -> Bool {
        let claimed = try await store.claimMail(owner: owner, limit: concurrency)
        await withTaskGroup(of: Void.self) { group in
            for mail in claimed {
                group.addTask { await self.send(mail) }
            }
        }
        return claimed.count == concurrency
    }

    func send(_ mail: ClaimedMail) async {
        let outcome: MailAttempt
        do {
            _ = try await client.send(message(mail))
            outcome = .sent
        } catch {
            // `send` throws only `SMTPFailure` (typed throws).
            switch error {
            case .permanentRecipient(let code, let text): outcome = .bounced("\(code) \(text)")
            case .permanentMessage(let code, let text): outcome = .refused("\(code) \(text)")
            case .transient(let text): outcome = .failed(text)
            case .configuration(let text):
                logger.error("the mail relay refuses gusp's configuration", metadata: ["error": "\(text)"])
                outcome = .failed(text)
            }
        }
        do {
            try await store.recordMail(mail, owner: owner, outcome: outcome)
        } catch {
            logger.error("could not record a mail attempt", metadata: ["notification": "\(mail.id)", "error": "\(error)"])
        }
    }

    /// The message of a claimed notification; its Message-ID is derived from the notification, so that
    /// a message sent again after a crash carries the same one.
    func message(_ mail: ClaimedMail) -> MailMessage {
        MailMessage(
            from: settings.from, to: MailAddress(mail.recipient), subject: mail.subject, text: mail.text, html: mail.html,
            messageId: "\(mail.id)@\(messageIdHost)", date: Date(storedMilliseconds: store.nowMilliseconds), unsubscribeURL: mail.unsubscribeURL,
            extraHeaders: [MailHeader("Auto-Submitted", "auto-generated")])
    }

    /// Gives back unsent claims.
    public func stop() async {
        try? await store.releaseMail(owner: owner)
    }
}
