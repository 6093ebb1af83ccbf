import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// The background workers of a gusp process: escalation, webhook delivery, retention.
public enum Workers {
    public static func all(store: Store, logger: Logger, interval: Duration = .seconds(5)) -> [any Service] {
        let delivery = WebhookSender(store: store, logger: logger)
        return [
            PeriodicWorker(name: "escalation", interval: interval, logger: logger) {
                let signalements = try await store.sweepEscalations(limit: 500).examined
                let engagements = try await store.sweepEngagementEscalations(limit: 500).examined
                return signalements == 500 || engagements == 500
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
