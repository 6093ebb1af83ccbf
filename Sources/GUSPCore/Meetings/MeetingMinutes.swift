import SQLKit

/// The minutes of a meeting as a reader gets them: the text and the decisions, each with the title of
/// its item.
public struct MeetingMinutes: Sendable {
    public var meeting: Meeting
    public var text: String?
    public var visibility: MinutesVisibility
    public var approvedAt: Int64?
    public var items: [AgendaItem]
    public var decisions: [MeetingDecision]
    /// Partner id → name, for the printable minutes.
    public var partnerNames: [String: String]
    public var territoryNames: [String: String]
}

extension Store {
    /// Who reads a meeting's minutes: before approval, the coordination and elected officials of its
    /// territories; once approved, `internal` the same, `signatories` also the meeting's partners and
    /// the convention's signatories, `public` everyone.
    static func mayReadMinutes(_ actor: Actor, _ meeting: Meeting, signatories: Set<String>) -> Bool {
        if isMeetingOfficial(actor, meeting) { return true }
        guard meeting.status == .minutesApproved else { return false }
        switch meeting.minutesVisibility {
        case .internal: return false
        case .public: return true
        case .signatories:
            guard let partner = actor.partnerId, actor.role != .resident else { return false }
            return meeting.scope.partnerIds.contains(partner) || signatories.contains(partner)
        }
    }

    /// The minutes, for those who may read them (else 404: their existence is not revealed).
    public func meetingMinutes(_ meetingId: String, by actor: Actor) async throws -> MeetingMinutes {
        try Permissions.requireRole(actor, .readMeeting)
        return try await database.read { db in
            guard let meeting = try await Self.loadMeeting(meetingId, db) else { throw DomainError.notFound("meeting not found") }
            let signatories = try await Self.meetingSignatories(meeting, db)
            let readsMeeting =
                Self.sees(actor, meeting)
                || (meeting.status == .minutesApproved && meeting.minutesVisibility == .signatories
                    && actor.partnerId.map(signatories.contains) == true)
            guard readsMeeting, Self.mayReadMinutes(actor, meeting, signatories: signatories) else {
                throw DomainError.notFound("minutes not found")
            }
            let all = try await Self.loadAgenda(meetingId, db)
            let items: [AgendaItem]
            if Self.isMeetingOfficial(actor, meeting) {
                items = all
            } else if actor.role == .resident || actor.partnerId == nil {
                items = all.filter { !$0.isConfidential }
            } else {
                // Public minutes show a partner at least what they show the public.
                let own = Set(try await Self.visibleItems(all, of: meeting, for: actor, db).map(\.id))
                let open = meeting.minutesVisibility == .public && meeting.status == .minutesApproved
                items = all.filter { own.contains($0.id) || (open && !$0.isConfidential) }
            }
            var shownItems = items
            var decisions = try await Self.loadDecisions(meetingId, db)
            if actor.role == .resident {
                // Residents read the public engagements only: the others are neither items nor named.
                let ids = Array(Set(items.filter { $0.targetType == .engagement }.compactMap(\.targetId) + decisions.compactMap(\.engagementId)))
                var isPublic = Set<String>()
                if !ids.isEmpty {
                    for row in try await db.select().column("id").from("engagements").where("id", .in, ids).where("public", .equal, 1).all() {
                        isPublic.insert(try row.decode(column: "id", as: String.self))
                    }
                }
                shownItems = items.filter { $0.targetType != .engagement || $0.targetId.map(isPublic.contains) == true }
                decisions = decisions.map { decision in
                    var copy = decision
                    if let id = decision.engagementId, !isPublic.contains(id) { copy.engagementId = nil }
                    return copy
                }
            }
            let shown = Set(shownItems.map(\.id))
            decisions = decisions.filter { shown.contains($0.itemId) }
            var partners: [String: String] = [:]
            let partnerIds = Array(meeting.scope.partnerIds.union(decisions.compactMap(\.partnerId)))
            for row in try await db.select().columns("id", "name").from("partners").where("id", .in, partnerIds).all() {
                partners[try row.decode(column: "id", as: String.self)] = try row.decode(column: "name", as: String.self)
            }
            var territories: [String: String] = [:]
            for row in try await db.select().columns("id", "label").from("territories").where("id", .in, meeting.territoryIds).all() {
                territories[try row.decode(column: "id", as: String.self)] = try row.decode(column: "label", as: String.self)
            }
            return MeetingMinutes(
                meeting: meeting, text: meeting.minutes, visibility: meeting.minutesVisibility, approvedAt: meeting.minutesApprovedAt,
                items: shownItems, decisions: decisions, partnerNames: partners, territoryNames: territories)
        }
    }

    static func meetingSignatories(_ meeting: Meeting, _ db: any SQLDatabase) async throws -> Set<String> {
        guard let convention = meeting.conventionId else { return [] }
        return Set(
            try await db.select().column("partner_id").from("convention_signatories").where("convention_id", .equal, convention).all()
                .map { try $0.decode(column: "partner_id", as: String.self) })
    }
}
