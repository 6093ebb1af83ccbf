import Foundation
import SQLKit

extension Store {
    static let reviewWindow: Int64 = 30 * 86_400_000

    /// The meeting indicators: meetings held and their partners' attendance (from the meetings of the
    /// period, read as the meeting list reads them), escalations reviewed within 30 days and the time
    /// from arbitration to assignment (from the signalements the reader may see), and the engagements
    /// meetings decided that were kept.
    static func meetingTallies(
        _ definition: IndicatorDefinition, _ query: IndicatorQuery, range: (start: Int64, end: Int64), now: Int64, actor: Actor,
        reference: ReferenceSnapshot, _ db: any SQLDatabase
    ) async throws -> IndicatorTallies {
        switch definition.code {
        case "escalations_reviewed_30_days": try await reviewTallies(query, range: range, now: now, actor: actor, reference: reference, db)
        case "arbitration_to_assignment_median_hours": try await arbitrationTallies(query, range: range, actor: actor, reference: reference, db)
        default: try await heldMeetingTallies(definition, query, range: range, now: now, actor: actor, reference: reference, db)
        }
    }

    /// Meetings held (or with approved minutes) that started in the period.
    private static func heldMeetingTallies(
        _ definition: IndicatorDefinition, _ query: IndicatorQuery, range: (start: Int64, end: Int64), now: Int64, actor: Actor,
        reference: ReferenceSnapshot, _ db: any SQLDatabase
    ) async throws -> IndicatorTallies {
        var tallies = IndicatorTallies()
        let filter = MeetingFilter(territoryId: query.territoryId, partnerId: nil)
        let select = db.select().columns(meetingColumns.map { SQLColumn($0, table: "meetings") }).from("meetings")
            .where("starts_at", .greaterThanOrEqual, range.start).where("starts_at", .lessThan, range.end)
            .where("status", .in, [MeetingStatus.held.rawValue, MeetingStatus.minutesApproved.rawValue])
        guard meetingReach(select, actor: actor, filter: filter, reference: reference) else { return tallies }
        if let partner = query.partnerId { select.where(meetingShared.involving(partner)) }
        let meetings = try await loadMeetings(select, db)
        func key(_ meeting: Meeting, partner: String? = nil) -> String? {
            switch query.groupBy {
            case nil: nil
            case .day?, .week?, .month?: ParisPeriods.key(ofDay: ParisPeriods.day(ofMilliseconds: meeting.startsAt), query.groupBy!)
            case .territory?: meeting.territoryIds.first ?? "none"
            case .kind?: meeting.kind.rawValue
            case .partner?: partner ?? "none"
            default: "none"
            }
        }
        switch definition.code {
        case "meetings_held":
            for meeting in meetings {
                var tally = IndicatorTally()
                tally.count = 1
                tallies.add(key(meeting), tally)
            }
        case "meeting_partner_attendance_rate":
            for meeting in meetings {
                for partner in meeting.invitedPartnerIds where query.partnerId == nil || query.partnerId == partner {
                    var tally = IndicatorTally()
                    tally.count = 1
                    tally.done = meeting.presentPartnerIds.contains(partner) ? 1 : 0
                    tallies.add(key(meeting, partner: partner), tally)
                }
            }
        default:
            // meeting_engagements_on_time: those done, or past their due date, among those decided.
            let byId = Dictionary(uniqueKeysWithValues: meetings.map { ($0.id, $0) })
            let engagements = try await rows(for: meetings.map(\.id)) { chunk in
                db.select().columns("source_id", "status", "due_at", "done_at").from("engagements")
                    .where("source", .equal, EngagementSource.meeting.rawValue).where("source_id", .in, chunk)
            }
            for row in engagements {
                guard let meeting = byId[try row.decode(column: "source_id", as: String.self)] else { continue }
                let dueAt = try row.decode(column: "due_at", as: Int64.self)
                let done = try row.decode(column: "status", as: String.self) == EngagementStatus.done.rawValue
                let doneAt = done ? try row.decode(column: "done_at", as: Int64?.self) : nil
                guard doneAt != nil || dueAt <= now else { continue }
                var tally = IndicatorTally()
                tally.count = 1
                tally.done = doneAt.map { $0 <= dueAt } == true ? 1 : 0
                tallies.add(key(meeting), tally)
            }
        }
        return tallies
    }

    /// Escalations at level 2 or more recorded in the period (up to 30 days ago: the window must have
    /// passed), and among them those acknowledged (by a meeting's decision or the escalated party)
    /// within 30 days.
    private static func reviewTallies(
        _ query: IndicatorQuery, range: (start: Int64, end: Int64), now: Int64, actor: Actor, reference: ReferenceSnapshot,
        _ db: any SQLDatabase
    ) async throws -> IndicatorTallies {
        var tallies = IndicatorTallies()
        let select = db.select().columns("created_at", "acknowledged_at", "territory_id", "partner_id").from("escalations")
            .where("level", .greaterThanOrEqual, 2).where("created_at", .greaterThanOrEqual, range.start)
            .where("created_at", .lessThan, min(range.end, now - reviewWindow + 1))
        guard select.reachable(by: actor, .readIndicator, unplacedToCoordinators: true) else { return tallies }
        filterIndicatorRows(select, query, reference: reference, category: false)
        for row in try await select.all() {
            let created = try row.decode(column: "created_at", as: Int64.self)
            var tally = IndicatorTally()
            tally.count = 1
            tally.done = (try row.decode(column: "acknowledged_at", as: Int64?.self)).map { $0 - created <= reviewWindow } == true ? 1 : 0
            tallies.add(
                indicatorKey(
                    query.groupBy, day: ParisPeriods.day(ofMilliseconds: created),
                    territory: try row.decode(column: "territory_id", as: String?.self),
                    partner: try row.decode(column: "partner_id", as: String?.self), category: nil), tally)
        }
        return tallies
    }

    /// For the signalements filed in the period that waited for arbitration, the time from their first
    /// `needs_arbitration` to the assignment after it, from their events.
    private static func arbitrationTallies(
        _ query: IndicatorQuery, range: (start: Int64, end: Int64), actor: Actor, reference: ReferenceSnapshot, _ db: any SQLDatabase
    ) async throws -> IndicatorTallies {
        var tallies = IndicatorTallies()
        let select = db.select().columns("id", "created_at", "territory_id", "partner_id", "category_id").from("signalements")
            .where("created_at", .greaterThanOrEqual, range.start).where("created_at", .lessThan, range.end).where("arbitrated", .equal, 1)
        guard select.reachable(by: actor, .readIndicator, unplacedToCoordinators: true) else { return tallies }
        filterIndicatorRows(select, query, reference: reference)
        let signalements = try await select.all()
        let ids = try signalements.map { try $0.decode(column: "id", as: String.self) }
        var waited: [String: Int64] = [:]
        var settled: [String: Int64] = [:]
        let changes = try await rows(for: ids) { chunk in
            db.select().columns("resource_id", "to_status", "occurred_at").from("events")
                .where("resource_type", .equal, ResourceType.signalement.rawValue).where("resource_id", .in, chunk)
                .where("to_status", .in, [SignalementStatus.needsArbitration.rawValue, SignalementStatus.assigned.rawValue])
                .orderBy("occurred_at").orderBy("id")
        }
        for row in changes {
            let id = try row.decode(column: "resource_id", as: String.self)
            let at = try row.decode(column: "occurred_at", as: Int64.self)
            if try row.decode(column: "to_status", as: String.self) == SignalementStatus.needsArbitration.rawValue {
                if waited[id] == nil { waited[id] = at }
            } else if let since = waited[id], settled[id] == nil, at >= since {
                settled[id] = at - since
            }
        }
        for row in signalements {
            let id = try row.decode(column: "id", as: String.self)
            guard let duration = settled[id] else { continue }
            var tally = IndicatorTally()
            tally.durations = [duration]
            tallies.add(
                indicatorKey(
                    query.groupBy, day: ParisPeriods.day(ofMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
                    territory: try row.decode(column: "territory_id", as: String?.self),
                    partner: try row.decode(column: "partner_id", as: String?.self),
                    category: try row.decode(column: "category_id", as: String.self)), tally)
        }
        return tallies
    }

    /// The meeting list's reach and territory filter on `select` (over `meetings`); false when the
    /// reader reaches none.
    static func meetingReach(_ select: SQLSelectBuilder, actor: Actor, filter: MeetingFilter, reference: ReferenceSnapshot) -> Bool {
        let inTerritories = { (territories: [String]) in
            SQLQueryString("SELECT meeting_id FROM meeting_territories WHERE territory_id IN (\(binds: territories))")
        }
        if actor.role == .resident {
            select.where("status", .equal, MeetingStatus.minutesApproved.rawValue).where(
                "minutes_visibility", .equal, MinutesVisibility.public.rawValue)
        } else {
            let reach = Permissions.reach(actor.role, .readMeeting)
            if !reach.contains(.all) {
                let partner = reach.contains(.ownPartner) ? actor.partnerId : nil
                let territories = reach.contains(.ownTerritories) ? Array(actor.territoryIds) : []
                if partner == nil, territories.isEmpty { return false }
                select.where { group in
                    if !territories.isEmpty { group.orWhere(SQLColumn("id", table: "meetings"), .in, SQLGroupExpression(inTerritories(territories))) }
                    if let partner { group.orWhere(meetingShared.involving(partner)) }
                    return group
                }
            }
        }
        if let territory = filter.territoryId {
            let below = Array(reference.descendants(of: [territory]).union([territory]))
            select.where(SQLColumn("id", table: "meetings"), .in, SQLGroupExpression(inTerritories(below)))
        }
        return true
    }
}
