import Foundation
import GUSPAPI
import GUSPCore

extension Components.Schemas.Walk {
    init(_ walk: Walk, for actor: Actor) {
        let route = walk.routeJSON.flatMap { try? JSONDecoder().decode(Components.Schemas.LineString.self, from: Data($0.utf8)) }
        self.init(
            id: walk.id, kind: .init(walk.kind), title: walk.title, territoryId: walk.territoryId,
            startsAt: Date(storedMilliseconds: walk.startsAt), endsAt: Date(storedMilliseconds: walk.endsAt),
            timeOfDay: .init(walk.timeOfDay), meetingPoint: walk.meetingPoint, route: route,
            stops: walk.stops.map { .init(label: $0.label, location: .init(lat: $0.location.lat, long: $0.location.long)) },
            gridId: walk.gridId, organiserPartnerId: walk.organiserPartnerId, invitedPartnerIds: walk.invitedPartnerIds,
            presentPartnerIds: walk.presentPartnerIds,
            // The référent is a person: staff see who, residents that there is one only through the report.
            referentUserId: actor.role == .resident ? nil : walk.referentUserId, conventionId: walk.conventionId, seriesId: walk.seriesId,
            status: .init(walk.status), statusNote: walk.statusNote,
            attendance: walk.attendance.map { .init(role: .init($0.role), ageBand: $0.ageBand.map { .init($0) }, count: $0.count) },
            participants: walk.participantCount, version: walk.version, createdAt: Date(storedMilliseconds: walk.createdAt),
            updatedAt: Date(storedMilliseconds: walk.updatedAt))
    }
}

extension Components.Schemas.ObservationGrid {
    init(_ grid: ObservationGrid) {
        self.init(
            id: grid.id, code: grid.code, label: grid.label,
            items: grid.items.map { .init(code: $0.code, label: $0.label, theme: $0.theme, answerType: .init($0.answerType)) })
    }
}

extension Components.Schemas.Observation {
    init(_ observation: Observation) {
        self.init(
            id: observation.id, clientId: observation.clientId, stop: observation.stop,
            location: observation.location.map { .init(lat: $0.lat, long: $0.long) }, polarity: .init(observation.polarity),
            theme: observation.theme, categoryId: observation.categoryId, text: observation.text, proposal: observation.proposal,
            answers: .init(additionalProperties: observation.answers), convertedTo: observation.convertedTo.map { .init($0) },
            convertedId: observation.convertedId?.hasPrefix("pending:") == true ? nil : observation.convertedId,
            photos: observation.photos.map(Components.Schemas.WalkPhoto.init),
            createdAt: Date(storedMilliseconds: observation.createdAt))
    }
}

extension Components.Schemas.WalkPhoto {
    init(_ photo: WalkPhoto) {
        self.init(
            id: photo.id, observationId: photo.observationId, mediaType: .init(rawValue: photo.mediaType) ?? .imageJpeg, width: photo.width,
            height: photo.height, byteSize: photo.byteSize, published: photo.isPublished,
            publishedAt: photo.publishedAt.map { Date(storedMilliseconds: $0) }, url: "/v1/walks/\(photo.walkId)/photos/\(photo.id)",
            createdAt: Date(storedMilliseconds: photo.createdAt))
    }
}

extension Components.Schemas.WalkReport {
    init(_ report: WalkReport, for actor: Actor) {
        self.init(
            walk: .init(report.walk, for: actor), asOf: report.asOf, version: report.version,
            publishedAt: report.publishedAt.map { Date(storedMilliseconds: $0) }, latestVersion: report.latestVersion, summary: report.summary,
            participants: report.participantCount,
            attendance: report.attendance.map { .init(role: .init($0.role), ageBand: $0.ageBand.map { .init($0) }, count: $0.count) },
            presentPartnerIds: report.presentPartnerIds, positive: report.positiveCount, negative: report.negativeCount,
            themes: report.themes.map { .init(theme: $0.theme, positive: $0.positive, negative: $0.negative) },
            observations: report.observations.map(Components.Schemas.Observation.init),
            followUps: report.followUps.map {
                .init(
                    observationId: $0.observationId, target: .init($0.target), id: $0.id, status: $0.status, partnerId: $0.partnerId,
                    dueAt: $0.dueAt.map { Date(storedMilliseconds: $0) }, finished: $0.finished, withinCommitment: $0.withinCommitment)
            })
    }
}

extension NewObservation {
    init(_ body: Components.Schemas.ObservationCreate) {
        self.init(
            clientId: body.clientId, stop: body.stop, location: body.location.map { Position(long: $0.long, lat: $0.lat) },
            polarity: .init(body.polarity), theme: body.theme, categoryId: body.categoryId, text: body.text, proposal: body.proposal,
            answers: body.answers?.additionalProperties ?? [:])
    }
}

extension WalkStop {
    init(_ stop: Components.Schemas.WalkStop) {
        self.init(label: stop.label, location: Position(long: stop.location.long, lat: stop.location.lat))
    }
}

extension Components.Schemas.LineString {
    var jsonBytes: [UInt8] {
        get throws { Array(try JSONEncoder().encode(self)) }
    }
}
