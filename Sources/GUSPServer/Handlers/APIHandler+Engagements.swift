import Foundation
import GUSPAPI
import GUSPCore

extension APIHandler {
    private var now: Int64 { store.nowMilliseconds }

    func listEngagements(_ input: Operations.ListEngagements.Input) async throws -> Operations.ListEngagements.Output {
        let actor = try RequestState.requireActor()
        let query = input.query
        let filter = EngagementFilter(
            territoryId: query.territory, partnerId: query.partner, status: query.status.map(EngagementStatus.init),
            source: query.source.map(EngagementSource.init), sourceId: query.sourceId, overdue: query.overdue,
            dueBefore: query.dueBefore, updatedSince: query.updatedSince)
        let page = try await store.engagements(filter, page: try PageRequest(limit: query.limit, cursor: query.cursor), by: actor)
        let now = self.now
        return .ok(.init(body: .json(.init(data: page.items.map { .init($0, now: now) }, nextCursor: page.nextCursor))))
    }

    func createEngagement(_ input: Operations.CreateEngagement.Input) async throws -> Operations.CreateEngagement.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let engagement = try await store.createEngagement(
            NewEngagement(body), by: actor)
        return .created(.init(headers: .init(eTag: etag(engagement.version)), body: .json(.init(engagement, now: now))))
    }

    func getEngagement(_ input: Operations.GetEngagement.Input) async throws -> Operations.GetEngagement.Output {
        let engagement = try await store.engagement(input.path.engagementId, by: try RequestState.requireActor())
        return .ok(.init(headers: .init(eTag: etag(engagement.version)), body: .json(.init(engagement, now: now))))
    }

    func updateEngagement(_ input: Operations.UpdateEngagement.Input) async throws -> Operations.UpdateEngagement.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let nulls = nullFields()
        for field in ["title", "lead_partner_id", "partner_ids", "due_date", "status", "status_note", "signalement_ids", "public"]
        where nulls.contains(field) {
            throw ValidationFailure(field: field, message: "cannot be null")
        }
        let changes = EngagementChanges(
            title: body.title, description: patch(body.description, "description", nulls: nulls), leadPartnerId: body.leadPartnerId,
            partnerIds: body.partnerIds, dueDate: body.dueDate, status: body.status.map(EngagementStatus.init),
            statusNote: body.statusNote, signalementIds: body.signalementIds,
            actionSheetId: patch(body.actionSheetId, "action_sheet_id", nulls: nulls), isPublic: body._public)
        let engagement = try await store.updateEngagement(input.path.engagementId, changes, ifVersion: expectedVersion(), by: actor)
        return .ok(.init(headers: .init(eTag: etag(engagement.version)), body: .json(.init(engagement, now: now))))
    }

    func addEngagementUpdate(_ input: Operations.AddEngagementUpdate.Input) async throws -> Operations.AddEngagementUpdate.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let engagement = try await store.addEngagementUpdate(input.path.engagementId, day: body.date, note: body.note, by: actor)
        return .created(.init(headers: .init(eTag: etag(engagement.version)), body: .json(.init(engagement, now: now))))
    }

    func listEngagementEvents(_ input: Operations.ListEngagementEvents.Input) async throws -> Operations.ListEngagementEvents.Output {
        let page = try await store.events(
            resourceType: .engagement, resourceId: input.path.engagementId,
            page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor),
            by: try RequestState.requireActor())
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.Event.init), nextCursor: page.nextCursor))))
    }
}
