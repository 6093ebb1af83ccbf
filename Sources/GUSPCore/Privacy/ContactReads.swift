import Foundation
import SQLKit

/// One read of a reporter's contact data by staff: who, when, which signalement; never the data.
public struct ContactRead: Sendable, Equatable {
    public var id: String
    public var signalementId: String
    public var actorId: String
    public var actorRole: Role
    public var actorPartnerId: String?
    public var readAt: Int64
}

public struct ContactReadFilter: Sendable {
    public var signalementId: String?
    public var actorId: String?
    public var since: Date?

    public init(signalementId: String? = nil, actorId: String? = nil, since: Date? = nil) {
        self.signalementId = signalementId
        self.actorId = actorId
        self.since = since
    }
}

extension Store {
    /// Records that `actor` read the contact of `signalementId` (its own small transaction, after the read).
    func logContactRead(of signalementId: String, by actor: Actor) async throws {
        let now = nowMilliseconds
        try await database.write { db in
            try await db.insert(into: "contact_reads")
                .columns("id", "signalement_id", "actor_id", "actor_role", "actor_partner_id", "purpose", "created_at")
                .values(
                    SQLBind(Identifier.make("crd")), SQLBind(signalementId), SQLBind(actor.id), SQLBind(actor.role.rawValue),
                    SQLBind(actor.partnerId),
                    SQLBind("signalement.read"), SQLBind(now)
                )
                .run()
        }
    }

    /// The access log, oldest first (the paging order of every list): admins only.
    public func contactReads(_ filter: ContactReadFilter, page: PageRequest, by actor: Actor) async throws -> Page<ContactRead> {
        guard actor.role == .admin else { throw DomainError.forbidden("the access log is for admins") }
        return try await database.read { db in
            let query = db.select().column(SQLLiteral.all).from("contact_reads")
            if let id = filter.signalementId { query.where("signalement_id", .equal, id) }
            if let id = filter.actorId { query.where("actor_id", .equal, id) }
            if let since = filter.since { query.where("created_at", .greaterThanOrEqual, since.storedMilliseconds) }
            let rows = try await query.paged(page, table: "contact_reads").all()
            let reads = try rows.map { row in
                ContactRead(
                    id: try row.decode(column: "id", as: String.self), signalementId: try row.decode(column: "signalement_id", as: String.self),
                    actorId: try row.decode(column: "actor_id", as: String.self),
                    actorRole: Role(rawValue: try row.decode(column: "actor_role", as: String.self)) ?? .admin,
                    actorPartnerId: try row.decode(column: "actor_partner_id", as: String?.self),
                    readAt: try row.decode(column: "created_at", as: Int64.self))
            }
            return Page(rows: reads, request: page) { PageCursor(createdAt: $0.readAt, id: $0.id) }
        }
    }
}
