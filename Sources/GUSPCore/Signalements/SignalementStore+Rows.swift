import Foundation
import GUSPDatabase
import SQLKit

/// A row of `signalements`, read column by column: lists decode thousands of these, and the Codable
/// path with a snake-case key strategy spent most of a list's time converting key names.
struct SignalementRow {
    var id: String, reference: String, categoryId: String, status: String, priority: String, channel: String, description: String
    var lat: Double?, long: Double?, address: String?, territoryId: String?, partnerId: String?, reporterId: String?
    var filedBy: String?, dueAt: Int64?, duplicateOf: String?, confirmationsCount: Int
    var resolvedAt: Int64?, closedAt: Int64?, version: Int, createdAt: Int64, updatedAt: Int64
    var escalation: EscalationState
    var history: SignalementHistory

    init(_ row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        reference = try row.decode(column: "reference", as: String.self)
        categoryId = try row.decode(column: "category_id", as: String.self)
        status = try row.decode(column: "status", as: String.self)
        priority = try row.decode(column: "priority", as: String.self)
        channel = try row.decode(column: "channel", as: String.self)
        description = try row.decode(column: "description", as: String.self)
        lat = try row.decode(column: "lat", as: Double?.self)
        long = try row.decode(column: "long", as: Double?.self)
        address = try row.decode(column: "address", as: String?.self)
        territoryId = try row.decode(column: "territory_id", as: String?.self)
        partnerId = try row.decode(column: "partner_id", as: String?.self)
        reporterId = try row.decode(column: "reporter_id", as: String?.self)
        filedBy = try row.decode(column: "filed_by", as: String?.self)
        dueAt = try row.decode(column: "due_at", as: Int64?.self)
        duplicateOf = try row.decode(column: "duplicate_of", as: String?.self)
        confirmationsCount = try row.decode(column: "confirmations_count", as: Int.self)
        resolvedAt = try row.decode(column: "resolved_at", as: Int64?.self)
        closedAt = try row.decode(column: "closed_at", as: Int64?.self)
        version = try row.decode(column: "version", as: Int.self)
        createdAt = try row.decode(column: "created_at", as: Int64.self)
        updatedAt = try row.decode(column: "updated_at", as: Int64.self)
        escalation = EscalationState(
            level: try row.decode(column: "escalation_level", as: Int.self),
            cycle: try row.decode(column: "escalation_cycle", as: Int.self),
            dueAt: try row.decode(column: "escalation_due_at", as: Int64?.self),
            nextAt: try row.decode(column: "next_escalation_at", as: Int64?.self))
        history = SignalementHistory(
            reopened: try row.decode(column: "reopened", as: Int.self) != 0,
            arbitrated: try row.decode(column: "arbitrated", as: Int.self) != 0,
            recurring: try row.decode(column: "recurring", as: Int.self) != 0)
    }

    func signalement() throws -> Signalement {
        guard let status = SignalementStatus(rawValue: status), let priority = SignalementPriority(rawValue: priority),
            let channel = SignalementChannel(rawValue: channel)
        else {
            throw StorageFailure(description: "signalement \(id) has an unknown status, priority or channel")
        }
        let location: Position? = if let lat, let long { Position(long: long, lat: lat) } else { nil }
        return Signalement(
            id: id, reference: reference, categoryId: categoryId, status: status, priority: priority, channel: channel, description: description,
            location: location, address: address, territoryId: territoryId, partnerId: partnerId, reporterId: reporterId,
            contact: nil, dueAt: dueAt, duplicateOf: duplicateOf, confirmationsCount: confirmationsCount, followersCount: 0,
            photos: [], resolvedAt: resolvedAt, closedAt: closedAt, version: version, createdAt: createdAt, updatedAt: updatedAt,
            escalation: escalation, history: history)
    }
}

/// A signalement as loaded, with who filed it (for the "filed on behalf" relation; never shown).
struct LoadedSignalement {
    var signalement: Signalement
    var filedBy: String?
}

private struct PhotoRow: Decodable {
    var id: String, signalementId: String, contentHash: String, mediaType: String, width: Int, height: Int
    var byteSize: Int, createdAt: Int64

    var photo: Photo {
        Photo(
            id: id, signalementId: signalementId, contentHash: contentHash, mediaType: mediaType, width: width,
            height: height, byteSize: byteSize, createdAt: createdAt)
    }
}

private struct ContactRow: Decodable {
    var signalementId: String, name: String?, email: String?, phone: String?, notify: Int
}

extension Store {
    package static let signalementColumns = [
        "id", "category_id", "status", "priority", "channel", "description", "lat", "long", "cell", "address", "territory_id",
        "partner_id", "reporter_id", "filed_by", "due_at", "duplicate_of", "confirmations_count", "resolved_at",
        "closed_at", "version", "created_at", "updated_at", "escalation_level", "escalation_cycle", "escalation_due_at", "next_escalation_at",
        "reopened", "arbitrated", "recurring", "reference",
    ]

    static func loadSignalement(_ id: String, _ db: any SQLDatabase, forUpdate: Bool = false) async throws -> LoadedSignalement? {
        let query = db.select().columns(signalementColumns.map { SQLColumn($0, table: "signalements") })
            .from("signalements").where("id", .equal, id)
        if forUpdate { query.for(.update) }
        guard let row = try await query.first() else { return nil }
        return try await completeSignalements([try SignalementRow(row)], db).first
    }

    /// Adds contacts, photos and follower counts to rows, with one query each for the whole page.
    static func completeSignalements(_ rows: [SignalementRow], _ db: any SQLDatabase) async throws -> [LoadedSignalement] {
        guard !rows.isEmpty else { return [] }
        let ids = rows.map(\.id)
        let contacts = try await db.select().columns("signalement_id", "name", "email", "phone", "notify").from("signalement_contacts")
            .where("signalement_id", .in, ids).all(decoding: ContactRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        let photos = try await db.select()
            .columns("id", "signalement_id", "content_hash", "media_type", "width", "height", "byte_size", "created_at")
            .from("signalement_photos").where("signalement_id", .in, ids).orderBy("created_at").orderBy("id")
            .all(decoding: PhotoRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        let followerRows = try await db.select().column("signalement_id").column(
            SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n"))
        )
        .from("signalement_followers").where("signalement_id", .in, ids).groupBy("signalement_id").all()
        var followers: [String: Int] = [:]
        for row in followerRows {
            followers[try row.decode(column: "signalement_id", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        let contactsById = Dictionary(contacts.map { ($0.signalementId, $0) }, uniquingKeysWith: { first, _ in first })
        let photosById = Dictionary(grouping: photos, by: \.signalementId)
        return try rows.map { row in
            var signalement = try row.signalement()
            if let contact = contactsById[row.id] {
                signalement.contact = ReporterContact(name: contact.name, email: contact.email, phone: contact.phone, notify: contact.notify != 0)
            }
            signalement.photos = (photosById[row.id] ?? []).map(\.photo)
            signalement.followersCount = followers[row.id] ?? 0
            return LoadedSignalement(signalement: signalement, filedBy: row.filedBy)
        }
    }

    /// Loads a signalement the actor may see, or throws "not found".
    static func visibleSignalement(_ id: String, _ actor: Actor, _ db: any SQLDatabase, forUpdate: Bool = false) async throws -> LoadedSignalement {
        guard let loaded = try await loadSignalement(id, db, forUpdate: forUpdate),
            SignalementAccess.mayRead(actor, loaded.signalement, filedBy: loaded.filedBy)
        else {
            throw DomainError.notFound("signalement not found")
        }
        return loaded
    }

    /// Loads a signalement for its staff (admin, its coordinators, the assigned partner): 404 when
    /// invisible, 403 when visible to someone who is not staff.
    static func requireSignalementStaff(
        _ id: String, _ actor: Actor, _ db: any SQLDatabase, forUpdate: Bool = false
    ) async throws -> LoadedSignalement {
        let loaded = try await visibleSignalement(id, actor, db, forUpdate: forUpdate)
        if !SignalementAccess.seesInternal(actor, loaded.signalement) {
            throw DomainError.forbidden("only the assigned partner, coordinators and admins may do this")
        }
        return loaded
    }
}
