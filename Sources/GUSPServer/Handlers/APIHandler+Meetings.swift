import Foundation
import GUSPAPI
import GUSPCore
import OpenAPIRuntime

extension APIHandler {
    func listMeetings(_ input: Operations.ListMeetings.Input) async throws -> Operations.ListMeetings.Output {
        let actor = try RequestState.requireActor()
        let query = input.query
        let filter = MeetingFilter(
            territoryId: query.territory, partnerId: query.partner, kind: query.kind.map(MeetingKind.init),
            status: query.status.map(MeetingStatus.init), updatedSince: query.updatedSince)
        let page = try await store.meetings(filter, page: try PageRequest(limit: query.limit, cursor: query.cursor), by: actor)
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.Meeting.init), nextCursor: page.nextCursor))))
    }

    func createMeeting(_ input: Operations.CreateMeeting.Input) async throws -> Operations.CreateMeeting.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let meeting = try await store.createMeeting(
            NewMeeting(
                kind: .init(body.kind), title: body.title, territoryIds: body.territoryIds, conventionId: body.conventionId,
                startsAt: body.startsAt, chairPartnerId: body.chairPartnerId, invitedPartnerIds: body.invitedPartnerIds ?? [],
                previousMeetingId: body.previousMeetingId),
            by: actor)
        return .created(.init(headers: .init(eTag: etag(meeting.version)), body: .json(.init(meeting))))
    }

    func getMeeting(_ input: Operations.GetMeeting.Input) async throws -> Operations.GetMeeting.Output {
        let meeting = try await store.meeting(input.path.meetingId, by: try RequestState.requireActor())
        return .ok(.init(headers: .init(eTag: etag(meeting.version)), body: .json(.init(meeting))))
    }

    func updateMeeting(_ input: Operations.UpdateMeeting.Input) async throws -> Operations.UpdateMeeting.Output {
        let actor = try RequestState.requireActor()
        let body: Components.Schemas.MeetingUpdate =
            switch input.body {
            case .json(let body): body
            case .applicationMergePatchJson(let body): body
            }
        for field in ["title", "starts_at", "invited_partner_ids", "present_partner_ids"] where nullFields().contains(field) {
            throw ValidationFailure(field: field, message: "cannot be null")
        }
        let meeting = try await store.updateMeeting(
            input.path.meetingId,
            MeetingChanges(
                title: body.title, startsAt: body.startsAt, invitedPartnerIds: body.invitedPartnerIds, presentPartnerIds: body.presentPartnerIds),
            ifVersion: expectedVersion(), by: actor)
        return .ok(.init(headers: .init(eTag: etag(meeting.version)), body: .json(.init(meeting))))
    }

    func transitionMeeting(_ input: Operations.TransitionMeeting.Input) async throws -> Operations.TransitionMeeting.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let meeting = try await store.transitionMeeting(
            input.path.meetingId, to: .init(body.to), note: body.note, ifVersion: expectedVersion(), by: actor)
        return .ok(.init(headers: .init(eTag: etag(meeting.version)), body: .json(.init(meeting))))
    }

    func generateAgenda(_ input: Operations.GenerateAgenda.Input) async throws -> Operations.GenerateAgenda.Output {
        let actor = try RequestState.requireActor()
        var rules = AgendaRules()
        if case .json(let body)? = input.body {
            rules = AgendaRules(overdueDays: body.overdueDays ?? 7, hotSpotMinimum: body.hotSpotMinimum ?? 3)
        }
        let items = try await store.generateAgenda(input.path.meetingId, rules: rules, by: actor)
        return .ok(.init(body: .json(.init(data: items.map(Components.Schemas.AgendaItem.init)))))
    }

    func listAgendaItems(_ input: Operations.ListAgendaItems.Input) async throws -> Operations.ListAgendaItems.Output {
        let items = try await store.agenda(input.path.meetingId, by: try RequestState.requireActor())
        return .ok(.init(body: .json(.init(data: items.map(Components.Schemas.AgendaItem.init)))))
    }

    func addAgendaItem(_ input: Operations.AddAgendaItem.Input) async throws -> Operations.AddAgendaItem.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let item = try await store.addAgendaItem(
            input.path.meetingId,
            NewAgendaItem(title: body.title, detail: body.detail, signalementId: body.signalementId, isConfidential: body.confidential ?? false),
            by: actor)
        return .created(.init(body: .json(.init(item))))
    }

    func reorderAgenda(_ input: Operations.ReorderAgenda.Input) async throws -> Operations.ReorderAgenda.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let items = try await store.reorderAgenda(input.path.meetingId, itemIds: body.itemIds, by: actor)
        return .ok(.init(body: .json(.init(data: items.map(Components.Schemas.AgendaItem.init)))))
    }

    func getAgendaItem(_ input: Operations.GetAgendaItem.Input) async throws -> Operations.GetAgendaItem.Output {
        let item = try await store.agendaItem(input.path.meetingId, input.path.itemId, by: try RequestState.requireActor())
        return .ok(.init(body: .json(.init(item))))
    }

    func recordDecision(_ input: Operations.RecordDecision.Input) async throws -> Operations.RecordDecision.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let decision = try await store.decide(
            input.path.meetingId, itemId: input.path.itemId,
            NewDecision(kind: .init(body.kind), note: body.note, partnerId: body.partnerId, engagement: body.engagement.map(NewEngagement.init)),
            by: actor)
        return .created(.init(body: .json(.init(decision))))
    }

    func listDecisions(_ input: Operations.ListDecisions.Input) async throws -> Operations.ListDecisions.Output {
        let decisions = try await store.decisions(input.path.meetingId, by: try RequestState.requireActor())
        return .ok(.init(body: .json(.init(data: decisions.map(Components.Schemas.Decision.init)))))
    }

    func getMeetingMinutes(_ input: Operations.GetMeetingMinutes.Input) async throws -> Operations.GetMeetingMinutes.Output {
        let format = try Self.negotiate(input.headers.accept, among: ["application/json", "text/markdown", "text/html"])
        let minutes = try await store.meetingMinutes(input.path.meetingId, by: try RequestState.requireActor())
        switch format {
        case "text/markdown": return .ok(.init(body: .textMarkdown(.init(minutes.markdown))))
        case "text/html": return .ok(.init(body: .html(.init(minutes.html))))
        default: return .ok(.init(body: .json(.init(minutes))))
        }
    }

    func setMeetingMinutes(_ input: Operations.SetMeetingMinutes.Input) async throws -> Operations.SetMeetingMinutes.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let meeting = try await store.setMeetingMinutes(
            input.path.meetingId, text: body.text, visibility: .init(body.visibility), ifVersion: expectedVersion(), by: actor)
        return .ok(.init(headers: .init(eTag: etag(meeting.version)), body: .json(.init(meeting))))
    }

    func listMeetingEvents(_ input: Operations.ListMeetingEvents.Input) async throws -> Operations.ListMeetingEvents.Output {
        let page = try await store.events(
            resourceType: .meeting, resourceId: input.path.meetingId,
            page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor), by: try RequestState.requireActor())
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.Event.init), nextCursor: page.nextCursor))))
    }
}
