import Crypto
import Foundation
import GUSPDatabase
import SQLKit

/// A photo of a walk observation. Walks film people and their homes: residents see a photo only once
/// a coordinator has published it.
public struct WalkPhoto: Sendable, Equatable {
    public var id: String
    public var walkId: String
    public var observationId: String
    public var contentHash: String
    public var mediaType: String
    public var width: Int
    public var height: Int
    public var byteSize: Int
    public var publishedAt: Int64?
    public var createdAt: Int64

    public var isPublished: Bool { publishedAt != nil }
}

/// The files are the signalements' ones (`photos/<hash prefix>/<sha256>.<ext>`, same bytes one file),
/// written before their row; rows in `walk_photos` say which observation shows which.
extension Store {
    public static let maximumPhotosPerObservation = 5

    /// Adds a photo to an observation, cleaned of its metadata (EXIF and its GPS position): those who
    /// may add observations to the walk, while it takes them.
    public func addObservationPhoto(
        walkId: String, observationId: String, bytes: [UInt8], declaredType: String?, by actor: Actor
    ) async throws -> WalkPhoto {
        try Permissions.requireRole(actor, .observeWalk)
        // Access and room first: no image is decoded, no file written, for a walk the caller may not touch.
        try await database.read { db in try await Self.requirePhotoRoom(walkId, observationId, actor, db) }
        let photo = try PhotoSanitizer.clean(bytes)
        if let declaredType, declaredType != photo.mediaType {
            throw ValidationFailure(field: "photo", message: "is \(photo.mediaType), not \(declaredType) as Content-Type says")
        }
        let hash = SHA256.hash(data: photo.bytes).hexadecimal
        let now = nowMilliseconds
        try Self.writePhotoFile(photo, hash: hash, under: settings.dataDirectory)
        return try await database.write { db in
            try await Self.requirePhotoRoom(walkId, observationId, actor, db, forUpdate: true)
            let stored = WalkPhoto(
                id: Identifier.make("pho"), walkId: walkId, observationId: observationId, contentHash: hash, mediaType: photo.mediaType,
                width: photo.width, height: photo.height, byteSize: photo.bytes.count, publishedAt: nil, createdAt: now)
            try await db.insert(into: "walk_photos")
                .columns(
                    "id", "walk_id", "observation_id", "content_hash", "media_type", "width", "height", "byte_size", "uploaded_by",
                    "published_at", "created_at"
                )
                .values(
                    SQLBind(stored.id), SQLBind(walkId), SQLBind(observationId), SQLBind(hash), SQLBind(stored.mediaType),
                    SQLBind(stored.width), SQLBind(stored.height), SQLBind(stored.byteSize), SQLBind(actor.id), SQLBind(Int64?.none),
                    SQLBind(now)
                )
                .run()
            try await db.update("walks").set("updated_at", to: now).where("id", .equal, walkId).run()
            try await EventLog.append(db, .walk, walkId, "photo_added", actor: actor, changes: ["photos"], note: stored.id, at: now)
            return stored
        }
    }

    /// Publishes a photo to residents, or withdraws it: the walk's coordinators.
    public func publishWalkPhoto(walkId: String, photoId: String, published: Bool, by actor: Actor) async throws -> WalkPhoto {
        try Permissions.requireRole(actor, .writeWalk)
        let now = nowMilliseconds
        return try await database.write { db in
            _ = try await Self.requireWalkWriter(walkId, actor, db)
            guard var photo = try await Self.loadWalkPhotos(db.select().where("id", .equal, photoId).where("walk_id", .equal, walkId), db).first
            else { throw DomainError.notFound("photo not found") }
            guard photo.isPublished != published else { return photo }
            photo.publishedAt = published ? now : nil
            try await db.update("walk_photos").set("published_at", to: photo.publishedAt).where("id", .equal, photoId).run()
            try await db.update("walks").set("updated_at", to: now).where("id", .equal, walkId).run()
            try await EventLog.append(
                db, .walk, walkId, published ? "photo_published" : "photo_withdrawn", actor: actor, changes: ["photos"], note: photoId, at: now)
            return photo
        }
    }

    /// A photo and its bytes, for whoever reads the walk (residents: published photos only).
    public func walkPhoto(walkId: String, photoId: String, by actor: Actor) async throws -> (WalkPhoto, [UInt8]) {
        try Permissions.requireRole(actor, .readWalk)
        let photo = try await database.read { db in
            _ = try await Self.visibleWalk(walkId, actor, db)
            return try await Self.loadWalkPhotos(db.select().where("id", .equal, photoId).where("walk_id", .equal, walkId), db).first
        }
        guard let photo, photo.isPublished || actor.role != .resident else { throw DomainError.notFound("photo not found") }
        let url = Self.photoFile(hash: photo.contentHash, mediaType: photo.mediaType, under: settings.dataDirectory)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw StorageFailure(description: "the file of photo \(photo.id) is missing: \(url.path)")
        }
        return (photo, Array(data))
    }

    /// The photos of these observations, oldest first.
    static func walkPhotos(of observations: [Observation], _ db: any SQLDatabase) async throws -> [String: [WalkPhoto]] {
        guard !observations.isEmpty else { return [:] }
        var photos: [String: [WalkPhoto]] = [:]
        let rows = try await rows(for: observations.map(\.id)) { chunk in
            walkPhotoQuery(db.select().where("observation_id", .in, chunk))
        }
        for photo in try rows.map(walkPhoto) { photos[photo.observationId, default: []].append(photo) }
        return photos
    }

    /// Observations with their photos.
    static func withPhotos(_ observations: [Observation], _ db: any SQLDatabase) async throws -> [Observation] {
        let photos = try await walkPhotos(of: observations, db)
        return observations.map { observation in
            var copy = observation
            copy.photos = photos[observation.id] ?? []
            return copy
        }
    }

    private static func loadWalkPhotos(_ query: SQLSelectBuilder, _ db: any SQLDatabase) async throws -> [WalkPhoto] {
        try await walkPhotoQuery(query).all().map(walkPhoto)
    }

    /// `query` (its conditions) reading photos, oldest first.
    private static func walkPhotoQuery(_ query: SQLSelectBuilder) -> SQLSelectBuilder {
        query.columns(
            "id", "walk_id", "observation_id", "content_hash", "media_type", "width", "height", "byte_size", "published_at", "created_at"
        )
        .from("walk_photos").orderBy("created_at").orderBy("id")
    }

    private static func walkPhoto(_ row: any SQLRow) throws -> WalkPhoto {
        WalkPhoto(
            id: try row.decode(column: "id", as: String.self), walkId: try row.decode(column: "walk_id", as: String.self),
            observationId: try row.decode(column: "observation_id", as: String.self),
            contentHash: try row.decode(column: "content_hash", as: String.self),
            mediaType: try row.decode(column: "media_type", as: String.self), width: try row.decode(column: "width", as: Int.self),
            height: try row.decode(column: "height", as: Int.self), byteSize: try row.decode(column: "byte_size", as: Int.self),
            publishedAt: try row.decode(column: "published_at", as: Int64?.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self))
    }

    /// The walk takes a photo from `actor` on that observation, which has room for one more.
    private static func requirePhotoRoom(
        _ walkId: String, _ observationId: String, _ actor: Actor, _ db: any SQLDatabase, forUpdate: Bool = false
    ) async throws {
        try await requirePhotoObserver(walkId, observationId, actor, db, forUpdate: forUpdate)
        let count =
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("walk_photos")
            .where("observation_id", .equal, observationId).first()?.decode(column: "n", as: Int.self) ?? 0
        guard count < maximumPhotosPerObservation else {
            throw DomainError.conflict("an observation has at most \(maximumPhotosPerObservation) photos")
        }
    }

    @discardableResult
    private static func requirePhotoObserver(
        _ walkId: String, _ observationId: String, _ actor: Actor, _ db: any SQLDatabase, forUpdate: Bool = false
    ) async throws -> Walk {
        let walk = try await visibleWalk(walkId, actor, db, forUpdate: forUpdate)
        if !Permissions.allows(actor, .observeWalk, on: walk.scope) {
            throw DomainError.forbidden("photos of this walk come from its coordinators and the partners invited")
        }
        guard walk.status.takesObservations else {
            throw DomainError.conflict("a walk that is \(walk.status.rawValue) takes no more photos")
        }
        let exists = try await db.select().column("id").from("walk_observations").where("id", .equal, observationId)
            .where("walk_id", .equal, walkId).first()
        guard exists != nil else { throw DomainError.notFound("observation not found") }
        return walk
    }
}
