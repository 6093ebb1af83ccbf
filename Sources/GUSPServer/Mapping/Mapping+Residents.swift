import Foundation
import GUSPAPI
import GUSPCore

extension Components.Schemas.NotificationPreferences {
    init(_ preferences: NotificationPreferences) {
        self.init(
            ownReports: preferences.ownReports, followedReports: preferences.followedReports, feedbackRequests: preferences.feedbackRequests,
            emailEnabled: preferences.emailEnabled)
    }
}

extension Components.Schemas.BoundingBox {
    init(_ box: BoundingBox) { self.init(minLong: box.minLong, minLat: box.minLat, maxLong: box.maxLong, maxLat: box.maxLat) }
    var box: BoundingBox { BoundingBox(minLong: minLong, minLat: minLat, maxLong: maxLong, maxLat: maxLat) }
}

extension Components.Schemas.AreaAlert {
    init(_ alert: AreaAlert) {
        self.init(
            id: alert.id, territoryId: alert.territoryId, bbox: alert.bbox.map(Components.Schemas.BoundingBox.init), categoryIds: alert.categoryIds,
            label: alert.label, lastDigestAt: Date(storedMilliseconds: alert.lastDigestAt), createdAt: Date(storedMilliseconds: alert.createdAt))
    }
}

extension Components.Schemas.PublicSignalement {
    init(_ view: PublicSignalement) {
        let date = { (milliseconds: Int64?) in milliseconds.map(Date.init(storedMilliseconds:)) }
        self.init(
            reference: view.reference, category: view.category.map { .init(code: $0.code, label: $0.label) },
            quartier: view.quartier.map { .init(code: $0.code, label: $0.label) }, status: .init(view.status), statusLabel: view.statusLabel,
            filedAt: Date(storedMilliseconds: view.filedAt), dueAt: date(view.dueAt), withinCommitment: view.withinCommitment,
            resolvedAt: date(view.resolvedAt), mergedInto: view.mergedInto,
            comments: view.comments.map { .init(author: $0.author, body: $0.body, createdAt: Date(storedMilliseconds: $0.createdAt)) })
    }
}

extension Components.Schemas.ContactRead {
    init(_ read: ContactRead) {
        self.init(
            id: read.id, signalementId: read.signalementId, actorId: read.actorId, actorRole: .init(read.actorRole),
            actorPartnerId: read.actorPartnerId, readAt: Date(storedMilliseconds: read.readAt))
    }
}

extension Components.Schemas.LinkedSignalement {
    init(_ linked: PersonalData.Followed) {
        self.init(signalementId: linked.signalementId, reference: linked.reference, since: Date(storedMilliseconds: linked.since))
    }
}

extension Components.Schemas.PersonalData {
    init(_ data: PersonalData, for actor: Actor, reopenWindow: TimeInterval) {
        let date = { (milliseconds: Int64?) in milliseconds.map(Date.init(storedMilliseconds:)) }
        self.init(
            account: .init(data.account), preferences: .init(data.preferences),
            signalements: data.signalements.map { .init($0, for: actor, now: data.exportedAt, reopenWindow: reopenWindow) },
            comments: data.comments.map(Components.Schemas.Comment.init),
            confirmations: data.confirmations.map(Components.Schemas.LinkedSignalement.init),
            follows: data.follows.map(Components.Schemas.LinkedSignalement.init), alerts: data.alerts.map(Components.Schemas.AreaAlert.init),
            feedback: data.feedback.map {
                .init(
                    signalementId: $0.signalementId, reference: $0.reference, status: .init(rawValue: $0.status.rawValue) ?? .pending,
                    answer: $0.answer.flatMap { .init(rawValue: $0.rawValue) }, comment: $0.comment, answeredAt: date($0.answeredAt),
                    outcome: $0.outcome.flatMap { .init(rawValue: $0.rawValue) })
            },
            messages: data.messages.map {
                .init(
                    kind: .init(rawValue: $0.kind.rawValue) ?? .acknowledged, status: .init(rawValue: $0.status.rawValue) ?? .pending,
                    signalementId: $0.signalementId, createdAt: Date(storedMilliseconds: $0.createdAt), sentAt: date($0.sentAt))
            },
            exportedAt: Date(storedMilliseconds: data.exportedAt))
    }
}
