import Foundation
import GUSPAPI
import GUSPCore

extension APIHandler {
    func getNotificationPreferences(
        _ input: Operations.GetNotificationPreferences.Input
    ) async throws
        -> Operations.GetNotificationPreferences.Output
    {
        let preferences = try await store.notificationPreferences(by: try RequestState.requireActor())
        return .ok(.init(body: .json(.init(preferences))))
    }

    func updateNotificationPreferences(
        _ input: Operations.UpdateNotificationPreferences.Input
    ) async throws
        -> Operations.UpdateNotificationPreferences.Output
    {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        for field in ["own_reports", "followed_reports", "feedback_requests", "email_enabled"] where nullFields().contains(field) {
            throw ValidationFailure(field: field, message: "cannot be null")
        }
        let preferences = try await store.updateNotificationPreferences(
            NotificationPreferenceChanges(
                ownReports: body.ownReports, followedReports: body.followedReports, feedbackRequests: body.feedbackRequests,
                emailEnabled: body.emailEnabled), by: actor)
        return .ok(.init(body: .json(.init(preferences))))
    }

    func listAreaAlerts(_ input: Operations.ListAreaAlerts.Input) async throws -> Operations.ListAreaAlerts.Output {
        let actor = try RequestState.requireActor()
        let page = try await store.areaAlerts(page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor), by: actor)
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.AreaAlert.init), nextCursor: page.nextCursor))))
    }

    func createAreaAlert(_ input: Operations.CreateAreaAlert.Input) async throws -> Operations.CreateAreaAlert.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let alert = try await store.createAreaAlert(
            NewAreaAlert(territoryId: body.territoryId, bbox: body.bbox?.box, categoryIds: body.categoryIds ?? [], label: body.label), by: actor)
        return .created(.init(body: .json(.init(alert))))
    }

    func deleteAreaAlert(_ input: Operations.DeleteAreaAlert.Input) async throws -> Operations.DeleteAreaAlert.Output {
        try await store.deleteAreaAlert(input.path.alertId, by: try RequestState.requireActor())
        return .noContent(.init())
    }

    func exportPersonalData(_ input: Operations.ExportPersonalData.Input) async throws -> Operations.ExportPersonalData.Output {
        let actor = try RequestState.requireActor()
        let data = try await store.personalData(by: actor)
        return .ok(.init(body: .json(.init(data, for: actor, reopenWindow: store.settings.reopenWindow))))
    }

    func eraseOwnAccount(_ input: Operations.EraseOwnAccount.Input) async throws -> Operations.EraseOwnAccount.Output {
        try await store.eraseOwnAccount(by: try RequestState.requireActor())
        return .noContent(.init())
    }

    func getPublicSignalement(_ input: Operations.GetPublicSignalement.Input) async throws -> Operations.GetPublicSignalement.Output {
        let view = try await store.publicSignalement(reference: input.path.reference)
        return .ok(.init(body: .json(.init(view))))
    }

    func listContactReads(_ input: Operations.ListContactReads.Input) async throws -> Operations.ListContactReads.Output {
        let actor = try RequestState.requireActor()
        let page = try await store.contactReads(
            ContactReadFilter(signalementId: input.query.signalementId, actorId: input.query.actorId, since: input.query.since),
            page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor), by: actor)
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.ContactRead.init), nextCursor: page.nextCursor))))
    }

    func eraseSignalementContact(_ input: Operations.EraseSignalementContact.Input) async throws -> Operations.EraseSignalementContact.Output {
        try await store.eraseContact(of: input.path.signalementId, by: try RequestState.requireActor())
        return .noContent(.init())
    }
}
