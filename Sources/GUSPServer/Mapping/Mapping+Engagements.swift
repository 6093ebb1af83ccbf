import Foundation
import GUSPAPI
import GUSPCore

extension Components.Schemas.Engagement {
    init(_ engagement: Engagement, now: Int64) {
        self.init(
            id: engagement.id, source: .init(engagement.source), sourceId: engagement.sourceId, title: engagement.title,
            description: engagement.description, territoryId: engagement.territoryId, leadPartnerId: engagement.leadPartnerId,
            partnerIds: engagement.partnerIds, dueDate: engagement.dueDate, status: .init(engagement.status),
            statusNote: engagement.statusNote, overdue: engagement.isOverdue(at: now),
            doneAt: engagement.doneAt.map { Date(storedMilliseconds: $0) }, doneOnTime: engagement.doneOnTime,
            signalementIds: engagement.signalementIds, conventionId: engagement.conventionId, actionSheetId: engagement.actionSheetId,
            _public: engagement.isPublic, escalationLevel: engagement.escalationLevel,
            updates: engagement.updates.map {
                .init(id: $0.id, date: $0.day, note: $0.note, createdAt: Date(storedMilliseconds: $0.createdAt))
            },
            version: engagement.version, createdAt: Date(storedMilliseconds: engagement.createdAt),
            updatedAt: Date(storedMilliseconds: engagement.updatedAt))
    }
}
