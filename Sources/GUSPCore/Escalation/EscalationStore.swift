import Foundation
import SQLKit

public struct EscalationFilter: Sendable {
    public var level: Int?
    /// In this territory or one below it.
    public var territoryId: String?
    public var partnerId: String?
    /// true: acknowledged ones; false: open ones; nil: both.
    public var acknowledged: Bool?
    public var signalementId: String?

    public init(level: Int? = nil, territoryId: String? = nil, partnerId: String? = nil, acknowledged: Bool? = nil, signalementId: String? = nil) {
        self.level = level
        self.territoryId = territoryId
        self.partnerId = partnerId
        self.acknowledged = acknowledged
        self.signalementId = signalementId
    }
}

struct EscalationRow: Decodable {
    var id: String, signalementId: String, cycle: Int, level: Int, reason: String, audience: String, partnerId: String?
    var territoryId: String?, dueAt: Int64?, createdAt: Int64, acknowledgedAt: Int64?, acknowledgedBy: String?

    var escalation: Escalation {
        Escalation(
            id: id, signalementId: signalementId, cycle: cycle, level: level, reason: EscalationReason(rawValue: reason) ?? .overdue,
            audience: EscalationAudience(rawValue: audience) ?? .coordinators, partnerId: partnerId, territoryId: territoryId,
            dueAt: dueAt, createdAt: createdAt, acknowledgedAt: acknowledgedAt, acknowledgedBy: acknowledgedBy)
    }
}

extension Store {
    /// Escalations the caller may see: admins all; coordinators and elected officials those of their
    /// territories; a partner's staff and systems those of signalements routed to it.
    public func escalations(_ filter: EscalationFilter, page: PageRequest, by actor: Actor) async throws -> Page<Escalation> {
        try Permissions.requireRole(actor, .readEscalation)
        let reference = try await referenceSnapshot()
        return try await database.read { db in
            let query = db.select().column(SQLLiteral.all).from("escalations")
            // Signalements outside every territory are every coordinator's (see `SignalementAccess`).
            guard query.reachable(by: actor, .readEscalation, unplacedToCoordinators: true) else { return Page(items: [], nextCursor: nil) }
            if let level = filter.level { query.where("level", .equal, level) }
            if let territory = filter.territoryId {
                query.where("territory_id", .in, Array(reference.descendants(of: [territory]).union([territory])))
            }
            if let partner = filter.partnerId { query.where("partner_id", .equal, partner) }
            if let signalement = filter.signalementId { query.where("signalement_id", .equal, signalement) }
            switch filter.acknowledged {
            case true?: query.where("acknowledged_at", .isNot, SQLLiteral.null)
            case false?: query.where("acknowledged_at", .is, SQLLiteral.null)
            case nil: break
            }
            let rows = try await query.paged(page, table: "escalations")
                .all(decoding: EscalationRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            return Page(rows: rows.map(\.escalation), request: page) { PageCursor(createdAt: $0.createdAt, id: $0.id) }
        }
    }

    /// The escalated party says it has taken it in hand: the partner (level 1), the territory's
    /// coordinators (level 2, and arbitration), its elected officials (level 3); admins always.
    public func acknowledgeEscalation(_ id: String, by actor: Actor) async throws -> Escalation {
        try Permissions.requireRole(actor, .readEscalation)
        let now = nowMilliseconds
        return try await database.write { db in
            let query = db.select().column(SQLLiteral.all).from("escalations").where("id", .equal, id).for(.update)
            guard var escalation = try await query.first(decoding: EscalationRow.self, keyDecodingStrategy: .convertFromSnakeCase)?.escalation,
                Permissions.allows(actor, .readEscalation, on: Self.escalationScope(escalation))
                    || (actor.role == .coordinator && escalation.territoryId == nil)
            else {
                throw DomainError.notFound("escalation not found")
            }
            guard Self.isEscalatedParty(actor, escalation) else {
                throw DomainError.forbidden("only the escalated party (the \(escalation.audience.rawValue)) acknowledges this escalation")
            }
            if escalation.acknowledgedAt != nil { throw DomainError.conflict("the escalation is already acknowledged") }
            escalation.acknowledgedAt = now
            escalation.acknowledgedBy = actor.id
            try await db.update("escalations").set("acknowledged_at", to: now).set("acknowledged_by", to: actor.id).where("id", .equal, id).run()
            try await EventLog.append(
                db, .signalement, escalation.signalementId, "escalation_acknowledged", actor: actor,
                note: "level \(escalation.level)", at: now)
            return escalation
        }
    }

    static func escalationScope(_ escalation: Escalation) -> ResourceScope {
        ResourceScope(partnerIds: Set(escalation.partnerId.map { [$0] } ?? []), territoryIds: Set(escalation.territoryId.map { [$0] } ?? []))
    }

    static func isEscalatedParty(_ actor: Actor, _ escalation: Escalation) -> Bool {
        if actor.role == .admin { return true }
        switch escalation.audience {
        case .partner:
            return [.technician, .partnerSystem].contains(actor.role) && actor.partnerId != nil && actor.partnerId == escalation.partnerId
        case .coordinators:
            // An escalation outside every territory is every coordinator's (as arbitration is).
            return actor.role == .coordinator && escalation.territoryId.map(actor.territoryIds.contains) ?? true
        case .elected:
            return actor.role == .elected && escalation.territoryId.map(actor.territoryIds.contains) ?? false
        }
    }
}
