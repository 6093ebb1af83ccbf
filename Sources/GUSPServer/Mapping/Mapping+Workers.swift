import Foundation
import GUSPAPI
import GUSPCore

extension Components.Schemas.Escalation {
    init(_ escalation: Escalation) {
        self.init(
            id: escalation.id, signalementId: escalation.signalementId, cycle: escalation.cycle, level: escalation.level,
            reason: .init(escalation.reason), audience: .init(escalation.audience),
            partnerId: escalation.partnerId, territoryId: escalation.territoryId, dueAt: escalation.dueAt.map { Date(storedMilliseconds: $0) },
            createdAt: Date(storedMilliseconds: escalation.createdAt),
            acknowledgedAt: escalation.acknowledgedAt.map { Date(storedMilliseconds: $0) }, acknowledgedBy: escalation.acknowledgedBy)
    }
}

extension Components.Schemas.WebhookSubscription {
    init(_ subscription: WebhookSubscription) {
        self.init(
            id: subscription.id, partnerId: subscription.partnerId, url: subscription.url,
            eventTypes: subscription.eventTypes.compactMap(Components.Schemas.WebhookEventType.init(rawValue:)),
            description: subscription.description, active: subscription.active, version: subscription.version,
            createdAt: Date(storedMilliseconds: subscription.createdAt), updatedAt: Date(storedMilliseconds: subscription.updatedAt))
    }
}

extension Components.Schemas.WebhookDelivery {
    init(_ delivery: WebhookDelivery) {
        self.init(
            id: delivery.id, subscriptionId: delivery.subscriptionId, eventId: delivery.outboxId, eventType: delivery.eventType,
            status: .init(delivery.status), attempts: delivery.attempts,
            nextAttemptAt: delivery.nextAttemptAt.map { Date(storedMilliseconds: $0) }, lastStatusCode: delivery.lastStatusCode,
            lastError: delivery.lastError, createdAt: Date(storedMilliseconds: delivery.createdAt),
            deliveredAt: delivery.deliveredAt.map { Date(storedMilliseconds: $0) },
            attemptLog: delivery.attemptLog.map {
                .init(
                    number: $0.number, attemptedAt: Date(storedMilliseconds: $0.attemptedAt), statusCode: $0.statusCode, error: $0.error,
                    durationMs: $0.durationMilliseconds)
            })
    }
}
