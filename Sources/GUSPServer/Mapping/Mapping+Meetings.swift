import Foundation
import GUSPAPI
import GUSPCore

extension Components.Schemas.Meeting {
    init(_ meeting: Meeting) {
        self.init(
            id: meeting.id, kind: .init(meeting.kind), title: meeting.title, territoryIds: meeting.territoryIds, conventionId: meeting.conventionId,
            startsAt: Date(storedMilliseconds: meeting.startsAt), chairPartnerId: meeting.chairPartnerId,
            invitedPartnerIds: meeting.invitedPartnerIds, presentPartnerIds: meeting.presentPartnerIds,
            previousMeetingId: meeting.previousMeetingId, status: .init(meeting.status), statusNote: meeting.statusNote,
            minutesVisibility: .init(meeting.minutesVisibility), hasMinutes: meeting.minutes != nil,
            minutesApprovedAt: meeting.minutesApprovedAt.map { Date(storedMilliseconds: $0) }, version: meeting.version,
            createdAt: Date(storedMilliseconds: meeting.createdAt), updatedAt: Date(storedMilliseconds: meeting.updatedAt))
    }
}

extension Components.Schemas.AgendaItem {
    init(_ item: AgendaItem) {
        self.init(
            id: item.id, position: item.position, kind: .init(item.kind), targetType: item.targetType.map { .init($0) },
            targetId: item.targetId, signalementId: item.signalementId, title: item.title, detail: item.detail,
            confidential: item.isConfidential, carriedFrom: item.carriedFrom, createdAt: Date(storedMilliseconds: item.createdAt))
    }
}

extension Components.Schemas.Decision {
    init(_ decision: MeetingDecision) {
        self.init(
            id: decision.id, itemId: decision.itemId, kind: .init(decision.kind), note: decision.note, partnerId: decision.partnerId,
            engagementId: decision.engagementId, createdAt: Date(storedMilliseconds: decision.createdAt))
    }
}

extension Components.Schemas.Minutes {
    init(_ minutes: MeetingMinutes) {
        self.init(
            meeting: .init(minutes.meeting), text: minutes.text, visibility: .init(minutes.visibility),
            approvedAt: minutes.approvedAt.map { Date(storedMilliseconds: $0) }, items: minutes.items.map(Components.Schemas.AgendaItem.init),
            decisions: minutes.decisions.map(Components.Schemas.Decision.init))
    }
}

extension NewEngagement {
    init(_ body: Components.Schemas.EngagementCreate) {
        self.init(
            title: body.title, description: body.description, territoryId: body.territoryId, leadPartnerId: body.leadPartnerId,
            partnerIds: body.partnerIds ?? [], dueDate: body.dueDate, signalementIds: body.signalementIds ?? [],
            actionSheetId: body.actionSheetId, isPublic: body._public ?? false)
    }
}
