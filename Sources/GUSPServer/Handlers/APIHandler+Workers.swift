import Foundation
import GUSPAPI
import GUSPCore

extension APIHandler {
    func listEscalations(_ input: Operations.ListEscalations.Input) async throws -> Operations.ListEscalations.Output {
        let actor = try RequestState.requireActor()
        let query = input.query
        let filter = EscalationFilter(
            level: query.level, territoryId: query.territory, partnerId: query.partner,
            acknowledged: query.state.map { $0 == .acknowledged }, signalementId: query.signalement)
        let page = try await store.escalations(filter, page: try PageRequest(limit: query.limit, cursor: query.cursor), by: actor)
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.Escalation.init), nextCursor: page.nextCursor))))
    }

    func acknowledgeEscalation(_ input: Operations.AcknowledgeEscalation.Input) async throws -> Operations.AcknowledgeEscalation.Output {
        let escalation = try await store.acknowledgeEscalation(input.path.escalationId, by: try RequestState.requireActor())
        return .ok(.init(body: .json(.init(escalation))))
    }

    func listWebhookSubscriptions(_ input: Operations.ListWebhookSubscriptions.Input) async throws -> Operations.ListWebhookSubscriptions.Output {
        let page = try await store.webhookSubscriptions(
            page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor),
            by: try RequestState.requireActor())
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.WebhookSubscription.init), nextCursor: page.nextCursor))))
    }

    func createWebhookSubscription(_ input: Operations.CreateWebhookSubscription.Input) async throws -> Operations.CreateWebhookSubscription.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let created = try await store.createWebhookSubscription(
            NewWebhookSubscription(
                partnerId: body.partnerId, url: body.url, eventTypes: body.eventTypes.map(\.rawValue), description: body.description), by: actor)
        return .created(
            .init(
                headers: .init(cacheControl: "no-store"),
                body: .json(.init(subscription: .init(created.subscription), secret: created.secret))))
    }

    func getWebhookSubscription(_ input: Operations.GetWebhookSubscription.Input) async throws -> Operations.GetWebhookSubscription.Output {
        let subscription = try await store.webhookSubscription(input.path.subscriptionId, by: try RequestState.requireActor())
        return .ok(.init(headers: .init(eTag: etag(subscription.version)), body: .json(.init(subscription))))
    }

    func updateWebhookSubscription(_ input: Operations.UpdateWebhookSubscription.Input) async throws -> Operations.UpdateWebhookSubscription.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let nulls = nullFields()
        for field in nulls where field != "description" { throw ValidationFailure(field: field, message: "cannot be null") }
        let subscription = try await store.updateWebhookSubscription(
            input.path.subscriptionId,
            WebhookSubscriptionChanges(
                url: body.url, eventTypes: body.eventTypes?.map(\.rawValue),
                description: patch(body.description, "description", nulls: nulls), active: body.active),
            ifVersion: expectedVersion(), by: actor)
        return .ok(.init(headers: .init(eTag: etag(subscription.version)), body: .json(.init(subscription))))
    }

    func deleteWebhookSubscription(_ input: Operations.DeleteWebhookSubscription.Input) async throws -> Operations.DeleteWebhookSubscription.Output {
        try await store.deleteWebhookSubscription(input.path.subscriptionId, by: try RequestState.requireActor())
        return .noContent(.init())
    }

    func listWebhookDeliveries(_ input: Operations.ListWebhookDeliveries.Input) async throws -> Operations.ListWebhookDeliveries.Output {
        let page = try await store.webhookDeliveries(
            subscriptionId: input.path.subscriptionId, status: input.query.status.map(WebhookDeliveryStatus.init),
            page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor), by: try RequestState.requireActor())
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.WebhookDelivery.init), nextCursor: page.nextCursor))))
    }

    func replayWebhookDelivery(_ input: Operations.ReplayWebhookDelivery.Input) async throws -> Operations.ReplayWebhookDelivery.Output {
        let delivery = try await store.replayWebhookDelivery(input.path.deliveryId, by: try RequestState.requireActor())
        return .ok(.init(body: .json(.init(delivery))))
    }
}
