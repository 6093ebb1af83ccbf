import Foundation
import SQLKit

/// Observations of one theme, by polarity.
public struct ThemeCount: Sendable, Equatable {
    public var theme: String
    public var positive: Int
    public var negative: Int

    public init(theme: String, positive: Int, negative: Int) {
        self.theme = theme
        self.positive = positive
        self.negative = negative
    }
}

/// What a converted observation became and where it stands at the report's date.
public struct FollowUp: Sendable, Equatable {
    public var observationId: String
    public var target: ConversionTarget
    public var id: String
    /// The signalement's or engagement's status at the end of `asOf` (Paris).
    public var status: String
    /// Who has it: the signalement's partner, the engagement's lead partner.
    public var partnerId: String?
    /// Its due moment (signalement) or the end of its due day (engagement).
    public var dueAt: Int64?
    /// Resolved or closed (signalement), done (engagement), at that date.
    public var finished: Bool
    /// Finished by its due moment, or still open before it; false once late; nil without a due moment.
    public var withinCommitment: Bool?
}

/// The compte-rendu of a walk: summary, attendance, observations by theme, and each conversion's
/// follow-up at a date (the restitution at 3 or 6 months is the same document at a later date). A
/// published version freezes the text part (summary, attendance, observations); the follow-up is live.
public struct WalkReport: Sendable {
    public var walk: Walk
    public var asOf: String
    /// The published version shown, nil for the live draft (before the first publication).
    public var version: Int?
    public var publishedAt: Int64?
    /// The latest published version, if any.
    public var latestVersion: Int?
    public var summary: String?
    public var attendance: [AttendanceCount]
    public var presentPartnerIds: [String]
    public var observations: [Observation]
    public var themes: [ThemeCount]
    public var followUps: [FollowUp]
    /// The names a reader needs: the territory, the partners, the categories, the grid's items.
    public var labels: WalkReportLabels

    public var participantCount: Int { attendance.reduce(0) { $0 + $1.count } }
    public var positiveCount: Int { observations.filter { $0.polarity == .positive }.count }
    public var negativeCount: Int { observations.filter { $0.polarity == .negative }.count }
}

extension Store {
    /// The walk's report as it stands at the end of `asOf` (default today, Paris). Its text part is
    /// published version `version`, by default the latest published one, or the live draft while none
    /// is. Residents read it once published, contacts masked and only published photos.
    public func walkReport(_ walkId: String, asOf: String?, version: Int? = nil, by actor: Actor) async throws -> WalkReport {
        try Permissions.requireRole(actor, .readWalk)
        let day = asOf ?? today
        guard LandParcel.isDay(day), let end = ParisPeriods.end(of: day) else {
            throw ValidationFailure(field: "as_of", message: "must be a date YYYY-MM-DD")
        }
        if day > today { throw ValidationFailure(field: "as_of", message: "must not be after today (\(today))") }
        // Lateness is judged at the end of that day, or now when that day is today.
        let judged = min(end, nowMilliseconds)
        if let version, version < 1 { throw ValidationFailure(field: "version", message: "must be 1 or more") }
        return try await database.read { db in
            let walk = try await Self.visibleWalk(walkId, actor, db)
            let live = try await Self.liveObservations(walkId, db)
            let latest = try await Self.reportVersion(walkId, nil, db)
            let shown: WalkReportVersion?
            if let version {
                guard let found = try await Self.reportVersion(walkId, version, db) else {
                    throw DomainError.notFound("version \(version) of this report is not published")
                }
                shown = found
            } else {
                shown = latest
            }
            // Residents read what was published, never the draft.
            if actor.role == .resident, shown == nil { throw DomainError.notFound("the report of this walk is not published") }
            var observations = live
            if let shown {
                observations = shown.content.observations(converted: Dictionary(uniqueKeysWithValues: live.map { ($0.id, $0) }))
            }
            observations = try await Self.withPhotos(observations, db).map { $0.redacted(for: actor) }
            var themes: [String: ThemeCount] = [:]
            for observation in observations {
                var count = themes[observation.theme] ?? ThemeCount(theme: observation.theme, positive: 0, negative: 0)
                if observation.polarity == .positive { count.positive += 1 } else { count.negative += 1 }
                themes[observation.theme] = count
            }
            var followUps: [FollowUp] = []
            for observation in observations {
                guard let target = observation.convertedTo, let id = observation.convertedId, !id.hasPrefix("pending:") else { continue }
                if let followUp = try await Self.followUp(observation.id, target, id, end: end, judgedAt: judged, db) { followUps.append(followUp) }
            }
            return WalkReport(
                walk: walk, asOf: day, version: shown?.version, publishedAt: shown?.publishedAt, latestVersion: latest?.version,
                summary: shown?.summary, attendance: shown?.content.attendanceCounts ?? walk.attendance,
                presentPartnerIds: shown?.content.presentPartnerIds ?? walk.presentPartnerIds, observations: observations,
                themes: themes.values.sorted { $0.theme < $1.theme }, followUps: followUps,
                labels: try await Self.reportLabels(walk, observations, followUps, db))
        }
    }

    /// The status of a signalement or engagement at `end`, from its recorded events.
    private static func followUp(
        _ observationId: String, _ target: ConversionTarget, _ id: String, end: Int64, judgedAt: Int64, _ db: any SQLDatabase
    )
        async throws -> FollowUp?
    {
        let type = target == .signalement ? ResourceType.signalement : .engagement
        let changes = try await db.select().columns("to_status", "occurred_at").from("events")
            .where("resource_type", .equal, type.rawValue).where("resource_id", .equal, id)
            .where("to_status", .isNot, SQLLiteral.null).where("occurred_at", .lessThan, end)
            .orderBy("occurred_at").orderBy("id").all()
        let history = try changes.map { (try $0.decode(column: "to_status", as: String.self), try $0.decode(column: "occurred_at", as: Int64.self)) }
        guard let current = history.last?.0 else { return nil }
        let finishedStates: Set<String> = target == .signalement ? ["resolved", "closed"] : ["done"]
        let finished = finishedStates.contains(current)
        let partner: String?
        let dueAt: Int64?
        if target == .signalement {
            let row = try await db.select().columns("partner_id", "due_at").from("signalements").where("id", .equal, id).first()
            partner = try row?.decode(column: "partner_id", as: String?.self)
            dueAt = try row?.decode(column: "due_at", as: Int64?.self)
        } else {
            let row = try await db.select().columns("lead_partner_id", "due_at").from("engagements").where("id", .equal, id).first()
            partner = try row?.decode(column: "lead_partner_id", as: String?.self)
            dueAt = try row?.decode(column: "due_at", as: Int64?.self)
        }
        var within: Bool?
        if let dueAt {
            if finished {
                // The first time it reached a finished state in its last run of finished states.
                let finishedAt = history.reversed().prefix { finishedStates.contains($0.0) }.last?.1 ?? end
                within = finishedAt <= dueAt
            } else {
                within = judgedAt <= dueAt
            }
        }
        return FollowUp(
            observationId: observationId, target: target, id: id, status: current, partnerId: partner, dueAt: dueAt, finished: finished,
            withinCommitment: within)
    }
}
