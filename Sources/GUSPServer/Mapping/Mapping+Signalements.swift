import Foundation
import GUSPAPI
import GUSPCore
import GUSPDatabase

extension Components.Schemas.Signalement {
    init(_ signalement: Signalement, for actor: Actor, now: Int64, reopenWindow: TimeInterval, duplicates: [NearbySignalement]? = nil) {
        let date = { (milliseconds: Int64?) in milliseconds.map(Date.init(storedMilliseconds:)) }
        self.init(
            id: signalement.id, reference: signalement.reference, categoryId: signalement.categoryId, status: .init(signalement.status),
            priority: .init(signalement.priority), channel: .init(signalement.channel),
            description: signalement.description,
            location: signalement.location.map { .init(lat: $0.lat, long: $0.long) }, address: signalement.address,
            territoryId: signalement.territoryId, partnerId: signalement.partnerId, dueAt: date(signalement.dueAt),
            overdue: signalement.isOverdue(at: now), duplicateOf: signalement.duplicateOf,
            confirmationsCount: signalement.confirmationsCount, followersCount: signalement.followersCount,
            photos: signalement.photos.map(Components.Schemas.Photo.init),
            resolvedAt: date(signalement.resolvedAt), closedAt: date(signalement.closedAt),
            reporterId: signalement.reporterId,
            contact: signalement.contact.map { .init(name: $0.name, email: $0.email, phone: $0.phone, notify: $0.notify) },
            mine: signalement.isMine,
            allowedTransitions: SignalementWorkflow.allowed(for: actor, signalement, reopenWindow: reopenWindow, now: now)
                .map(Components.Schemas.SignalementStatus.init),
            possibleDuplicates: duplicates?.map {
                .init(id: $0.id, status: .init($0.status), distanceMeters: $0.distanceMeters, createdAt: Date(storedMilliseconds: $0.createdAt))
            },
            version: signalement.version, createdAt: Date(storedMilliseconds: signalement.createdAt),
            updatedAt: Date(storedMilliseconds: signalement.updatedAt))
    }
}

extension Components.Schemas.Photo {
    init(_ photo: Photo) {
        self.init(
            id: photo.id, mediaType: .init(rawValue: photo.mediaType) ?? .imageJpeg, width: photo.width, height: photo.height,
            byteSize: photo.byteSize, url: "/v1/signalements/\(photo.signalementId)/photos/\(photo.id)",
            createdAt: Date(storedMilliseconds: photo.createdAt))
    }
}

extension Components.Schemas.Comment {
    init(_ comment: SignalementComment) {
        self.init(
            id: comment.id, visibility: .init(comment.visibility), body: comment.body,
            authorId: comment.authorId, authorRole: .init(comment.authorRole),
            createdAt: Date(storedMilliseconds: comment.createdAt))
    }
}

extension Components.Schemas.LandParcel {
    init(_ parcel: LandParcel) throws {
        let geometry: Components.Schemas.Geometry
        do {
            geometry = try JSONDecoder().decode(Components.Schemas.Geometry.self, from: Data(parcel.geometry.utf8))
        } catch {
            throw StorageFailure(description: "the stored geometry of \(parcel.id) is not GeoJSON")
        }
        self.init(
            id: parcel.id, label: parcel.label, partnerId: parcel.partnerId, categoryIds: parcel.categoryIds,
            geometry: geometry, validFrom: parcel.validFrom, validTo: parcel.validTo, version: parcel.version,
            createdAt: Date(storedMilliseconds: parcel.createdAt), updatedAt: Date(storedMilliseconds: parcel.updatedAt))
    }
}
