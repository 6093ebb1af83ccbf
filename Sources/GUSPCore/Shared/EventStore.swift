import Foundation
import SQLKit

struct EventRow: Decodable {
    var id: String, resourceType: String, resourceId: String, action: String, actorId: String?, actorRole: String?
    var changes: String, occurredAt: Int64, fromStatus: String?, toStatus: String?, note: String?

    var event: Event {
        Event(
            id: id, resourceType: ResourceType(rawValue: resourceType) ?? .partner, resourceId: resourceId, action: action,
            actorId: actorId, actorRole: actorRole.flatMap(Role.init(rawValue:)),
            changes: (try? JSONDecoder().decode([String].self, from: Data(changes.utf8))) ?? [], occurredAt: occurredAt,
            fromStatus: fromStatus, toStatus: toStatus, note: note)
    }
}

extension Store {
    /// The history of changes. Admins may read all of it; others read the history of one resource
    /// they may change (who may change a thing may see how it changed).
    public func events(resourceType: ResourceType?, resourceId: String?, page: PageRequest, by actor: Actor) async throws -> Page<Event> {
        let reference = try await referenceSnapshot()
        let today = self.today
        let rows = try await database.read { db in
            if let resourceType, let resourceId {
                try await Self.requireHistoryAccess(resourceType, resourceId, actor, reference: reference, today: today, db)
            } else if actor.role != .admin {
                throw ValidationFailure(
                    field: resourceType == nil ? "resource_type" : "resource_id",
                    message: "is required (resource_type with resource_id) unless you are an admin")
            } else if resourceType != nil || resourceId != nil {
                throw ValidationFailure(field: resourceType == nil ? "resource_type" : "resource_id", message: "goes with the other")
            }
            let query = db.select().column(SQLLiteral.all).from("events")
            if let resourceType, let resourceId {
                query.where("resource_type", .equal, resourceType.rawValue).where("resource_id", .equal, resourceId)
            }
            if let after = page.after {
                query.where {
                    $0.where("occurred_at", .greaterThan, after.createdAt)
                        .orWhere { $0.where("occurred_at", .equal, after.createdAt).where("id", .greaterThan, after.id) }
                }
            }
            return try await query.orderBy("occurred_at").orderBy("id").limit(page.limit + 1)
                .all(decoding: EventRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
        return Page(rows: rows.map(\.event), request: page) { PageCursor(createdAt: $0.occurredAt, id: $0.id) }
    }

    private static func requireHistoryAccess(
        _ type: ResourceType, _ id: String, _ actor: Actor, reference: ReferenceSnapshot, today: String,
        _ db: any SQLDatabase
    ) async throws {
        let operation: Operation =
            switch type {
            case .partner: .updatePartner
            case .territory: .updateTerritory
            case .category: .updateCategory
            case .user: .updateUser
            case .apiKey: .manageApiKeys
            case .signalement: .updateSignalement
            case .landParcel: .updateLandParcel
            // Those a convention binds follow how it changed; residents read its public summary only.
            case .convention, .actionSheet: actor.role == .resident ? .signConvention : .readConvention
            case .intervention: .readIntervention
            case .engagement: .readEngagement
            case .walk: .readWalk
            case .meeting: .readMeeting
            }
        try Permissions.requireRole(actor, operation)
        switch type {
        case .partner:
            try await requirePartnerAccess(id, .updatePartner, actor, db)
        case .territory:
            guard let territory = try await loadTerritory(id, db) else { throw DomainError.notFound("territory not found") }
            try Permissions.require(actor, .updateTerritory, on: territory.scope, visibility: .readTerritory, resource: "territory")
        case .category:
            guard try await loadCategory(id, db) != nil else { throw DomainError.notFound("category not found") }
            try Permissions.require(actor, .updateCategory, on: .global, visibility: .readCategory, resource: "category")
        case .user:
            guard let user = try await loadUser(id, db) else { throw DomainError.notFound("user not found") }
            try Permissions.require(actor, .updateUser, on: try await userScope(user, db), visibility: .readUser, resource: "user")
        case .apiKey:
            let row = try await db.select().column("partner_id").from("access_tokens")
                .where("id", .equal, id).where("kind", .equal, "api_key").first()
            guard let partner = try row?.decode(column: "partner_id", as: String.self) else {
                throw DomainError.notFound("API key not found")
            }
            try await requirePartnerAccess(partner, .manageApiKeys, actor, db)
        case .signalement:
            _ = try await requireSignalementStaff(id, actor, db)
        case .landParcel:
            guard let parcel = try await loadLandParcel(id, db) else { throw DomainError.notFound("land parcel not found") }
            try Permissions.require(
                actor, .updateLandParcel, on: try await landParcelScope(parcel, db),
                visibility: .readLandParcel, resource: "land parcel")
        case .convention, .actionSheet:
            var conventionId = id
            if type == .actionSheet {
                guard let row = try await db.select().column("convention_id").from("action_sheets").where("id", .equal, id).first() else {
                    throw DomainError.notFound("action sheet not found")
                }
                conventionId = try row.decode(column: "convention_id", as: String.self)
            }
            let (_, convention) = try await visibleConvention(conventionId, actor, reference: reference, today: today, db)
            // Partners that did not sign it read the convention, not how it was negotiated.
            if isOutsidePartner(actor, Set(convention.signatoryIds)) {
                throw DomainError.forbidden("the history of a convention is for its signatories and the coordination")
            }
        case .engagement:
            // Its history is for those who answer for it or follow it, not the public.
            if actor.role == .resident { throw DomainError.forbidden("the history of an engagement is for the partners and the coordination") }
            _ = try await visibleEngagement(id, actor, db)
        case .walk:
            if actor.role == .resident { throw DomainError.forbidden("the history of a walk is for the partners and the coordination") }
            _ = try await visibleWalk(id, actor, db)
        case .meeting:
            if actor.role == .resident { throw DomainError.forbidden("the history of a meeting is for the partners and the coordination") }
            _ = try await visibleMeeting(id, actor, db)
        case .intervention:
            let found = try await completeInterventions(
                try await db.select().columns(interventionColumns).from("interventions")
                    .where("id", .equal, id).all(), db
            ).first
            guard let intervention = found?.intervention,
                Permissions.allows(actor, .readIntervention, on: interventionScope(intervention))
            else {
                throw DomainError.notFound("intervention not found")
            }
        }
    }
}
