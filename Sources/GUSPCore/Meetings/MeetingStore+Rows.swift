import Foundation
import GUSPDatabase
import SQLKit

struct MeetingRow: Decodable {
    var id: String, kind: String, title: String, conventionId: String?, startsAt: Int64, chairPartnerId: String
    var previousMeetingId: String?, status: String, statusNote: String?, minutes: String?, minutesVisibility: String
    var minutesApprovedAt: Int64?, version: Int, createdAt: Int64, updatedAt: Int64
}

extension Store {
    static let meetingColumns = [
        "id", "kind", "title", "convention_id", "starts_at", "chair_partner_id", "previous_meeting_id", "status", "status_note", "minutes",
        "minutes_visibility", "minutes_approved_at", "version", "created_at", "updated_at",
    ]

    static let meetingShared = SharedPartners(
        table: "meetings", partnerColumn: "chair_partner_id", linkTable: "meeting_partners", linkKey: "meeting_id")

    static func loadMeetings(_ query: SQLSelectBuilder, _ db: any SQLDatabase) async throws -> [Meeting] {
        let rows = try await query.all(decoding: MeetingRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        guard !rows.isEmpty else { return [] }
        let ids = rows.map(\.id)
        var territories: [String: [String]] = [:]
        for row in try await db.select().columns("meeting_id", "territory_id").from("meeting_territories").where("meeting_id", .in, ids)
            .orderBy("territory_id").all()
        {
            territories[try row.decode(column: "meeting_id", as: String.self), default: []].append(
                try row.decode(column: "territory_id", as: String.self))
        }
        let (invited, present) = try await loadLinkedPartners(table: "meeting_partners", key: "meeting_id", ids, db)
        return try rows.map { row in
            guard let kind = MeetingKind(rawValue: row.kind), let status = MeetingStatus(rawValue: row.status),
                let visibility = MinutesVisibility(rawValue: row.minutesVisibility)
            else { throw StorageFailure(description: "meeting \(row.id) has an unknown kind, status or visibility") }
            return Meeting(
                id: row.id, kind: kind, title: row.title, territoryIds: territories[row.id] ?? [], conventionId: row.conventionId,
                startsAt: row.startsAt, chairPartnerId: row.chairPartnerId, invitedPartnerIds: invited[row.id] ?? [],
                presentPartnerIds: present[row.id] ?? [], previousMeetingId: row.previousMeetingId, status: status,
                statusNote: row.statusNote, minutes: row.minutes, minutesVisibility: visibility, minutesApprovedAt: row.minutesApprovedAt,
                version: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt)
        }
    }

    static func loadMeeting(_ id: String, _ db: any SQLDatabase, forUpdate: Bool = false) async throws -> Meeting? {
        let query = db.select().columns(meetingColumns).from("meetings").where("id", .equal, id)
        if forUpdate { query.for(.update) }
        return try await loadMeetings(query, db).first
    }

    /// Whether the actor may read the meeting: residents once its minutes are approved and public.
    static func sees(_ actor: Actor, _ meeting: Meeting) -> Bool {
        if actor.role == .resident { return meeting.isPublic }
        return Permissions.allows(actor, .readMeeting, on: meeting.scope)
    }

    static func visibleMeeting(_ id: String, _ actor: Actor, _ db: any SQLDatabase, forUpdate: Bool = false) async throws -> Meeting {
        guard let meeting = try await loadMeeting(id, db, forUpdate: forUpdate), sees(actor, meeting) else {
            throw DomainError.notFound("meeting not found")
        }
        return meeting
    }

    /// The meeting, for a coordinator of all its territories (or an admin): 404 when the caller cannot read it.
    static func requireMeetingWriter(_ id: String, _ actor: Actor, _ db: any SQLDatabase) async throws -> Meeting {
        let meeting = try await visibleMeeting(id, actor, db, forUpdate: true)
        if !Permissions.allows(actor, .writeMeeting, on: ResourceScope(territoryIds: Set(meeting.territoryIds))) {
            throw DomainError.forbidden("this meeting is run by the coordinators of its territories")
        }
        return meeting
    }

    public func meeting(_ id: String, by actor: Actor) async throws -> Meeting {
        try Permissions.requireRole(actor, .readMeeting)
        return try await database.read { db in try await Self.visibleMeeting(id, actor, db) }
    }

    /// The meetings the caller may read, oldest first: the territories' officials, the chair and the
    /// partners invited or present; residents those whose minutes are approved and public.
    public func meetings(_ filter: MeetingFilter, page: PageRequest, by actor: Actor) async throws -> Page<Meeting> {
        try Permissions.requireRole(actor, .readMeeting)
        let reference = try await referenceSnapshot()
        let meetings = try await database.read { db in
            let query = db.select().columns(Self.meetingColumns.map { SQLColumn($0, table: "meetings") }).from("meetings")
            guard Self.meetingReach(query, actor: actor, filter: filter, reference: reference) else { return [Meeting]() }
            if let partner = filter.partnerId { query.where(Self.meetingShared.involving(partner)) }
            if let kind = filter.kind { query.where("kind", .equal, kind.rawValue) }
            if let status = filter.status { query.where("status", .equal, status.rawValue) }
            return try await Self.loadMeetings(query.updated(since: filter.updatedSince, table: "meetings").paged(page, table: "meetings"), db)
        }
        return Page(rows: meetings, request: page) { PageCursor(createdAt: $0.createdAt, id: $0.id) }
    }
}
