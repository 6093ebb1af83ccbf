import Foundation
import SQLKit

/// The text part of a compte-rendu as published: the coordinators' summary, the attendance and the
/// observations as they stood. Statuses of what the observations became are never frozen: they are read
/// live at the report's date.
struct WalkReportContent: Codable, Equatable {
    struct Count: Codable, Equatable {
        var role: String
        var ageBand: String?
        var count: Int
    }

    struct Entry: Codable, Equatable {
        var id: String
        var clientId: String
        var stop: Int?
        var lat: Double?
        var long: Double?
        var polarity: String
        var theme: String
        var categoryId: String?
        var text: String
        var proposal: String?
        var answers: [String: String]
        var createdAt: Int64
    }

    var attendance: [Count]
    var presentPartnerIds: [String]
    var observations: [Entry]

    init(attendance: [AttendanceCount], presentPartnerIds: [String], observations: [Observation]) {
        self.attendance = attendance.map { Count(role: $0.role.rawValue, ageBand: $0.ageBand?.rawValue, count: $0.count) }
        self.presentPartnerIds = presentPartnerIds
        self.observations = observations.map {
            Entry(
                id: $0.id, clientId: $0.clientId, stop: $0.stop, lat: $0.location?.lat, long: $0.location?.long, polarity: $0.polarity.rawValue,
                theme: $0.theme, categoryId: $0.categoryId, text: $0.text, proposal: $0.proposal, answers: $0.answers, createdAt: $0.createdAt)
        }
    }

    var attendanceCounts: [AttendanceCount] {
        attendance.compactMap { count in
            AttendeeRole(rawValue: count.role).map { AttendanceCount(role: $0, ageBand: count.ageBand.flatMap(AgeBand.init), count: count.count) }
        }
    }

    /// The frozen observations, with what they became (`live`, by id) as it is now.
    func observations(converted live: [String: Observation]) -> [Observation] {
        observations.map { entry in
            Observation(
                id: entry.id, walkId: live[entry.id]?.walkId ?? "", clientId: entry.clientId, stop: entry.stop,
                location: entry.lat.flatMap { lat in entry.long.map { Position(long: $0, lat: lat) } },
                polarity: ObservationPolarity(rawValue: entry.polarity) ?? .negative, theme: entry.theme, categoryId: entry.categoryId,
                text: entry.text, proposal: entry.proposal, answers: entry.answers, convertedTo: live[entry.id]?.convertedTo,
                convertedId: live[entry.id]?.convertedId, createdAt: entry.createdAt)
        }
    }

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    static func decoded(_ text: String) throws -> WalkReportContent {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(WalkReportContent.self, from: Data(text.utf8))
    }
}

/// One published version of a walk's report.
public struct WalkReportVersion: Sendable, Equatable {
    public var version: Int
    public var summary: String?
    public var publishedAt: Int64
    var content: WalkReportContent
}

extension Store {
    /// Publishes the compte-rendu: freezes its text part (the summary given here, else the previous
    /// version's; the attendance; the observations) as version n + 1. The first publication moves a held walk to `report_published`;
    /// later ones (a corrected text) add versions. Coordinators of the walk's territory.
    public func publishWalkReport(_ walkId: String, summary: String?, ifVersion: Int?, by actor: Actor) async throws -> WalkReport {
        try Permissions.requireRole(actor, .writeWalk)
        var check = Validator()
        check.text(summary, "summary", required: false, maxLength: 20_000)
        try check.throwIfFailed()
        let now = nowMilliseconds
        let version = try await database.write { db -> Int in
            var walk = try await Self.requireWalkWriter(walkId, actor, db)
            if let expected = ifVersion, expected != walk.version { throw DomainError.versionMismatch(current: walk.version) }
            guard walk.status == .held || walk.status == .reportPublished else {
                throw DomainError.conflict("the report of a walk that is \(walk.status.rawValue) cannot be published")
            }
            let observations = try await Self.liveObservations(walkId, db)
            let content = WalkReportContent(
                attendance: walk.attendance, presentPartnerIds: walk.presentPartnerIds, observations: observations)
            let last =
                try await db.select().column(SQLFunction("MAX", args: SQLColumn("version")), as: "v").from("walk_report_versions")
                .where("walk_id", .equal, walkId).first()?.decode(column: "v", as: Int?.self) ?? 0
            let next = last + 1
            // A new version without a summary keeps the previous one's.
            let kept: String? =
                if let summary { summary.trimmingWhitespace } else { try await Self.reportVersion(walkId, nil, db)?.summary }
            try await db.insert(into: "walk_report_versions")
                .columns("walk_id", "version", "summary", "content", "published_by", "published_at")
                .values(
                    SQLBind(walkId), SQLBind(next), SQLBind(kept), SQLBind(try content.encoded()), SQLBind(actor.id),
                    SQLBind(now)
                )
                .run()
            let previous = walk.status
            walk.status = .reportPublished
            walk.version += 1
            try await db.update("walks").set("status", to: walk.status.rawValue).set("version", to: walk.version).set("updated_at", to: now)
                .where("id", .equal, walkId).run()
            if previous != walk.status {
                try await EventLog.append(
                    db, .walk, walkId, "status_changed", actor: actor, changes: ["status"], from: previous.rawValue, to: walk.status.rawValue,
                    at: now)
            }
            try await EventLog.append(db, .walk, walkId, "report_published", actor: actor, changes: ["report"], note: "version \(next)", at: now)
            return next
        }
        return try await walkReport(walkId, asOf: nil, version: version, by: actor)
    }

    /// A walk's observations as they are now, oldest first.
    static func liveObservations(_ walkId: String, _ db: any SQLDatabase) async throws -> [Observation] {
        try await db.select().columns(observationColumns).from("walk_observations").where("walk_id", .equal, walkId)
            .orderBy("created_at").orderBy("id").all().map(observation)
    }

    /// Version `number` of the report, or the latest one (nil when none is published).
    static func reportVersion(_ walkId: String, _ number: Int?, _ db: any SQLDatabase) async throws -> WalkReportVersion? {
        let query = db.select().columns("version", "summary", "content", "published_at").from("walk_report_versions")
            .where("walk_id", .equal, walkId)
        if let number { query.where("version", .equal, number) } else { query.orderBy("version", .descending).limit(1) }
        guard let row = try await query.first() else { return nil }
        return WalkReportVersion(
            version: try row.decode(column: "version", as: Int.self), summary: try row.decode(column: "summary", as: String?.self),
            publishedAt: try row.decode(column: "published_at", as: Int64.self),
            content: try WalkReportContent.decoded(try row.decode(column: "content", as: String.self)))
    }
}
