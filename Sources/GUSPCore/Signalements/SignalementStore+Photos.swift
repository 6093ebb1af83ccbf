import Crypto
import Foundation
import GUSPDatabase
import SQLKit

/// Photos live on disk under `<data dir>/photos/<first two hex digits>/<sha256>.<jpg|png>`, named by the
/// hash of their cleaned bytes (the same photo twice is one file); rows in `signalement_photos` say
/// which signalement shows which. A file is written before its row, so a crash can leave an
/// unreferenced file, never a row without its file.
extension Store {
    public static let maximumPhotosPerSignalement = 5

    /// Adds a photo: the reporter, the technician who filed it, the assigned partner's staff,
    /// coordinators of its territory and admins may.
    public func addPhoto(to signalementId: String, bytes: [UInt8], declaredType: String?, by actor: Actor) async throws -> Photo {
        try Permissions.requireRole(actor, .readSignalement)
        let photo = try PhotoSanitizer.clean(bytes)
        if let declaredType, declaredType != photo.mediaType {
            throw ValidationFailure(field: "photo", message: "is \(photo.mediaType), not \(declaredType) as Content-Type says")
        }
        let hash = SHA256.hash(data: photo.bytes).hexadecimal
        let now = nowMilliseconds
        // Check access before touching the disk.
        _ = try await database.read { db in try await Self.requirePhotoUploader(signalementId, actor, db) }
        try Self.writePhotoFile(photo, hash: hash, under: settings.dataDirectory)
        let policy = settings.escalation
        return try await database.write { db in
            var signalement = try await Self.requirePhotoUploader(signalementId, actor, db, forUpdate: true)
            let before = signalement
            guard signalement.photos.count < Self.maximumPhotosPerSignalement else {
                throw DomainError.conflict("a signalement has at most \(Self.maximumPhotosPerSignalement) photos")
            }
            let stored = Photo(
                id: Identifier.make("pho"), signalementId: signalementId, contentHash: hash, mediaType: photo.mediaType,
                width: photo.width, height: photo.height, byteSize: photo.bytes.count, createdAt: now)
            try await db.insert(into: "signalement_photos")
                .columns("id", "signalement_id", "content_hash", "media_type", "width", "height", "byte_size", "uploaded_by", "created_at")
                .values(
                    SQLBind(stored.id), SQLBind(signalementId), SQLBind(hash), SQLBind(stored.mediaType), SQLBind(stored.width),
                    SQLBind(stored.height), SQLBind(stored.byteSize), SQLBind(actor.id), SQLBind(now)
                )
                .run()
            try await Self.saveState(&signalement, from: before, policy: policy, at: now, db)
            try await EventLog.append(db, .signalement, signalementId, "photo_added", actor: actor, changes: ["photos"], at: now)
            return stored
        }
    }

    /// A photo and its bytes, for whoever may see the signalement.
    public func photo(_ photoId: String, of signalementId: String, by actor: Actor) async throws -> (Photo, [UInt8]) {
        try Permissions.requireRole(actor, .readSignalement)
        let loaded = try await database.read { db in try await Self.visibleSignalement(signalementId, actor, db) }
        guard let photo = loaded.signalement.photos.first(where: { $0.id == photoId }) else { throw DomainError.notFound("photo not found") }
        let url = Self.photoFile(hash: photo.contentHash, mediaType: photo.mediaType, under: settings.dataDirectory)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw StorageFailure(description: "the file of photo \(photo.id) is missing: \(url.path)")
        }
        return (photo, Array(data))
    }

    private static func requirePhotoUploader(_ id: String, _ actor: Actor, _ db: any SQLDatabase, forUpdate: Bool = false) async throws -> Signalement
    {
        let loaded = try await visibleSignalement(id, actor, db, forUpdate: forUpdate)
        let signalement = loaded.signalement
        let parties = SignalementAccess.parties(actor, signalement)
        guard !parties.isEmpty || SignalementAccess.filedOnBehalf(actor, loaded.filedBy) else {
            throw DomainError.forbidden("photos are added by the reporter, the assigned partner, coordinators and admins")
        }
        guard signalement.status.isOpen || signalement.status == .resolved else {
            throw DomainError.conflict("photos cannot be added to a \(signalement.status.rawValue) signalement")
        }
        return signalement
    }

    static func photoFile(hash: String, mediaType: String, under directory: String) -> URL {
        URL(fileURLWithPath: directory).appendingPathComponent("photos").appendingPathComponent(String(hash.prefix(2)))
            .appendingPathComponent(hash + (mediaType == "image/png" ? ".png" : ".jpg"))
    }

    /// Writes the file once (same bytes, same name), through a temporary file renamed into place.
    static func writePhotoFile(_ photo: CleanPhoto, hash: String, under directory: String) throws {
        let url = photoFile(hash: hash, mediaType: photo.mediaType, under: directory)
        let manager = FileManager.default
        if manager.fileExists(atPath: url.path) { return }
        do {
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(hash).\(UUID().uuidString).tmp")
            try Data(photo.bytes).write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                try? manager.removeItem(at: temporary)
                throw StorageFailure(description: "cannot move a photo into \(url.path) (errno \(errno))")
            }
        } catch let failure as StorageFailure {
            throw failure
        } catch {
            throw StorageFailure(description: "cannot store a photo under \(directory): \(error)")
        }
    }
}
