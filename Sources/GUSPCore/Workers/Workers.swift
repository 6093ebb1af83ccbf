import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// The background workers of a gusp process: escalation, webhook delivery, retention, and what
/// residents are told (mail delivery; "est-ce réglé ?", provisional answers and alert digests).
public enum Workers {
    public static func all(store: Store, logger: Logger, interval: Duration = .seconds(5)) -> [any Service] {
        let delivery = WebhookSender(store: store, logger: logger)
        var mail: [any Service] = []
        if let settings = store.settings.residents.mail {
            let sender = MailSender(store: store, settings: settings, logger: logger)
            mail.append(
                PeriodicWorker(
                    name: "mail", interval: .seconds(1), logger: logger, step: { try await sender.step() }, finish: { await sender.stop() }))
        } else {
            logger.notice("no email is sent: GUSP_SMTP_URL is unset")
        }
        return mail + [
            PeriodicWorker(name: "residents", interval: interval, logger: logger) {
                // Each runs whatever the others do.
                var failure: (any Error)?
                var more = false
                do { more = try await store.settleProvisionalFeedback(limit: 100) == 100 } catch { failure = error }
                do { more = try await store.askForFeedback(limit: 100) == 100 || more } catch { failure = error }
                do { more = try await store.sendAlertDigests(limit: 100) == 100 || more } catch { failure = error }
                if let failure { throw failure }
                return more
            },
            PeriodicWorker(name: "escalation", interval: interval, logger: logger) {
                // Each runs whatever the other does: a failing one must not hold the other back.
                var failure: (any Error)?
                var more = false
                do { more = try await store.sweepEscalations(limit: 500).examined == 500 } catch { failure = error }
                do { more = try await store.sweepEngagementEscalations(limit: 500).examined == 500 || more } catch { failure = error }
                if let failure { throw failure }
                return more
            },
            PeriodicWorker(
                name: "webhooks", interval: .seconds(1), logger: logger,
                step: { try await delivery.step() }, finish: { await delivery.stop() }),
            PeriodicWorker(name: "retention", interval: .seconds(3_600), logger: logger) {
                _ = try await store.purgeExpiredData()
                return false
            },
        ]
    }
}
