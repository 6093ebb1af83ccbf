import Foundation
import SQLKit

private struct PartnerRow: Decodable {
    var id: String, kind: String, name: String, siren: String?, referentUserId: String?
    var contactEmail: String?, contactPhone: String?, version: Int, createdAt: Int64, updatedAt: Int64

    func partner(territories: [String]) -> Partner {
        Partner(
            id: id, kind: PartnerKind(rawValue: kind) ?? .other, name: name, siren: siren, territoryIds: territories,
            referentUserId: referentUserId, contactEmail: contactEmail, contactPhone: contactPhone,
            version: version, createdAt: createdAt, updatedAt: updatedAt)
    }
}

public struct PartnerFilter: Sendable {
    public var kind: PartnerKind?
    public var territoryId: String?
    /// Only rows created or changed at or after this time.
    public var updatedSince: Date?
    public init(kind: PartnerKind? = nil, territoryId: String? = nil, updatedSince: Date? = nil) {
        self.updatedSince = updatedSince
        self.kind = kind
        self.territoryId = territoryId
    }
}

extension Store {
    public func partners(_ filter: PartnerFilter, page: PageRequest, by actor: Actor) async throws -> Page<Partner> {
        try Permissions.requireRole(actor, .readPartner)
        let partners = try await database.read { db in
            let query = db.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("partners"))).from("partners")
            if let kind = filter.kind { query.where("kind", .equal, kind.rawValue) }
            if let territory = filter.territoryId {
                query.where(
                    "id", .in,
                    SQLGroupExpression(
                        SQLQueryString(
                            "SELECT partner_id FROM partner_territories WHERE territory_id = \(bind: territory)")))
            }
            let rows = try await query.updated(since: filter.updatedSince, table: "partners").paged(page, table: "partners")
                .all(decoding: PartnerRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            let territories = try await Self.partnerTerritories(rows.map(\.id), db)
            return rows.map { $0.partner(territories: territories[$0.id] ?? []) }
        }
        return Page(rows: partners, request: page) { PageCursor(createdAt: $0.createdAt, id: $0.id) }
    }

    public func partner(_ id: String, by actor: Actor) async throws -> Partner {
        let partner = try await database.read { try await Self.loadPartner(id, $0) }
        guard let partner, Permissions.allows(actor, .readPartner, on: partner.scope) else {
            throw DomainError.notFound("partner not found")
        }
        return partner
    }

    public func createPartner(_ new: NewPartner, by actor: Actor) async throws -> Partner {
        try Permissions.requireRole(actor, .createPartner)
        try PartnerRules.check(
            name: new.name, siren: new.siren, territoryIds: new.territoryIds,
            contactEmail: new.contactEmail, contactPhone: new.contactPhone)
        let now = nowMilliseconds
        let partner = Partner(
            id: Identifier.make("par"), kind: new.kind, name: new.name.trimmingWhitespace, siren: new.siren,
            territoryIds: new.territoryIds, referentUserId: nil, contactEmail: new.contactEmail,
            contactPhone: new.contactPhone, version: 1, createdAt: now, updatedAt: now)
        return try await writeReference { db in
            try await Self.requireKnownTerritories(new.territoryIds, db)
            if !Permissions.allows(actor, .createPartner, on: partner.scope) {
                throw DomainError.forbidden("a coordinator creates partners working in their own territories")
            }
            try await db.insert(into: "partners")
                .columns(
                    "id", "kind", "name", "siren", "referent_user_id", "contact_email", "contact_phone",
                    "version", "created_at", "updated_at"
                )
                .values(
                    SQLBind(partner.id), SQLBind(partner.kind.rawValue), SQLBind(partner.name), SQLBind(partner.siren),
                    SQLBind(String?.none), SQLBind(partner.contactEmail), SQLBind(partner.contactPhone),
                    SQLBind(1), SQLBind(now), SQLBind(now)
                )
                .run()
            try await TerritoryLinks.partners.replace(partner.id, with: new.territoryIds, db)
            try await EventLog.append(db, .partner, partner.id, "created", actor: actor, at: now)
            return partner
        }
    }

    public func updatePartner(_ id: String, _ changes: PartnerChanges, ifVersion: Int?, by actor: Actor) async throws -> Partner {
        try Permissions.requireRole(actor, .updatePartner)
        try PartnerRules.check(
            name: changes.name, siren: changes.siren, territoryIds: changes.territoryIds,
            contactEmail: changes.contactEmail, contactPhone: changes.contactPhone)
        let now = nowMilliseconds
        return try await writeReference { db in
            guard var partner = try await Self.loadPartner(id, db, forUpdate: true) else { throw DomainError.notFound("partner not found") }
            try Permissions.require(actor, .updatePartner, on: partner.scope, visibility: .readPartner, resource: "partner")
            if let expected = ifVersion, expected != partner.version { throw DomainError.versionMismatch(current: partner.version) }
            if let kind = changes.kind { partner.kind = kind }
            if let name = changes.name { partner.name = name.trimmingWhitespace }
            if let siren = changes.siren { partner.siren = siren }
            if let email = changes.contactEmail { partner.contactEmail = email }
            if let phone = changes.contactPhone { partner.contactPhone = phone }
            if let referent = changes.referentUserId {
                if let referent, try await Self.loadUser(referent, db)?.partnerId != id {
                    throw ValidationFailure(field: "referent_user_id", message: "must be a user of this partner")
                }
                partner.referentUserId = referent
            }
            if let territories = changes.territoryIds {
                try await Self.requireKnownTerritories(territories, db)
                partner.territoryIds = territories
                // A coordinator cannot move a partner out of their reach.
                if !Permissions.allows(actor, .updatePartner, on: partner.scope) {
                    throw DomainError.forbidden("a coordinator keeps partners in their own territories")
                }
                try await TerritoryLinks.partners.replace(id, with: territories, db)
            }
            partner.version += 1
            partner.updatedAt = now
            try await db.update("partners")
                .set("kind", to: partner.kind.rawValue).set("name", to: partner.name).set("siren", to: partner.siren)
                .set("referent_user_id", to: partner.referentUserId).set("contact_email", to: partner.contactEmail)
                .set("contact_phone", to: partner.contactPhone).set("version", to: partner.version)
                .set("updated_at", to: now).where("id", .equal, id).run()
            try await EventLog.append(db, .partner, id, "updated", actor: actor, changes: changes.changedFields, at: now)
            return partner
        }
    }

    public func deletePartner(_ id: String, by actor: Actor) async throws {
        try Permissions.requireRole(actor, .deletePartner)
        let now = nowMilliseconds
        try await writeReference { db in
            guard let partner = try await Self.loadPartner(id, db, forUpdate: true) else { throw DomainError.notFound("partner not found") }
            try Permissions.require(actor, .deletePartner, on: partner.scope, visibility: .readPartner, resource: "partner")
            try await db.deleteRow(from: "partners", id: id, whenReferenced: "the partner still has users; move or delete them first")
            try await EventLog.append(db, .partner, id, "deleted", actor: actor, at: now)
        }
    }

    /// `forUpdate` locks the row until the transaction ends (PostgreSQL; SQLite writes are serialised anyway).
    static func loadPartner(_ id: String, _ db: any SQLDatabase, forUpdate: Bool = false) async throws -> Partner? {
        let query = db.select().column(SQLLiteral.all).from("partners").where("id", .equal, id)
        if forUpdate { query.for(.update) }
        guard let row = try await query.first(decoding: PartnerRow.self, keyDecodingStrategy: .convertFromSnakeCase) else { return nil }
        return row.partner(territories: try await partnerTerritories([id], db)[id] ?? [])
    }

    static func partnerTerritories(_ partnerIds: [String], _ db: any SQLDatabase) async throws -> [String: [String]] {
        try await TerritoryLinks.partners.load(partnerIds, db)
    }

    static func requireKnownTerritories(_ ids: [String], _ db: any SQLDatabase, field: String = "territory_ids") async throws {
        let unknown = try await unknownTerritories(ids, db)
        if !unknown.isEmpty {
            throw ValidationFailure(field: field, message: "unknown territories: \(unknown.joined(separator: ", "))")
        }
    }
}
