import Crypto
import Foundation
import GUSPDatabase
import SQLKit

/// What became of one item of a batch of observations.
public struct ObservationOutcome: Sendable {
    public var index: Int
    public var clientId: String
    public var observation: Observation?
    /// The same `client_id` and content came before: the stored observation, nothing written.
    public var replayed: Bool
    public var error: (any Error)?
}

extension Store {
    public static let observationBatchLimit = 500

    /// Observations of a walk, one by one or in batches of up to 500 (tablets work offline and send
    /// what they hold): each item is idempotent by its `client_id` and answered on its own.
    public func addObservations(_ walkId: String, _ items: [NewObservation], by actor: Actor) async throws -> [ObservationOutcome] {
        try Permissions.requireRole(actor, .observeWalk)
        if items.isEmpty || items.count > Self.observationBatchLimit {
            throw ValidationFailure(field: "items", message: "must hold 1 to \(Self.observationBatchLimit) observations")
        }
        let reference = try await referenceSnapshot()
        let now = nowMilliseconds
        return try await database.write { db in
            let walk = try await Self.visibleWalk(walkId, actor, db, forUpdate: true)
            if !Permissions.allows(actor, .observeWalk, on: walk.scope) {
                throw DomainError.forbidden("observations of this walk come from its coordinators and the partners invited")
            }
            guard walk.status.takesObservations else {
                throw DomainError.conflict("a walk that is \(walk.status.rawValue) takes no more observations")
            }
            let grid = try await Self.loadGrids([walk.gridId], db).first
            var outcomes: [ObservationOutcome] = []
            var seen = Set<String>()
            for (index, item) in items.enumerated() {
                do {
                    if !seen.insert(item.clientId).inserted {
                        throw ValidationFailure(field: "client_id", message: "appears twice in this batch")
                    }
                    let (observation, replayed) = try await Self.insertObservation(
                        item, walk: walk, grid: grid, reference: reference, by: actor, at: now, db)
                    outcomes.append(ObservationOutcome(index: index, clientId: item.clientId, observation: observation, replayed: replayed))
                } catch let failure as ValidationFailure {
                    outcomes.append(ObservationOutcome(index: index, clientId: item.clientId, replayed: false, error: failure))
                } catch let failure as DomainError {
                    outcomes.append(ObservationOutcome(index: index, clientId: item.clientId, replayed: false, error: failure))
                }
            }
            if outcomes.contains(where: { $0.observation != nil && !$0.replayed }) {
                try await db.update("walks").set("updated_at", to: now).where("id", .equal, walkId).run()
            }
            return outcomes
        }
    }

    private static func insertObservation(
        _ item: NewObservation, walk: Walk, grid: ObservationGrid?, reference: ReferenceSnapshot, by actor: Actor, at now: Int64,
        _ db: any SQLDatabase
    ) async throws -> (Observation, replayed: Bool) {
        var check = Validator()
        if item.clientId.isEmpty || item.clientId.unicodeScalars.count > 100 || item.clientId.unicodeScalars.contains(where: Validator.isControl) {
            check.fail("client_id", "must be 1 to 100 characters of plain text")
        }
        check.text(item.text, "text", maxLength: 4_000)
        check.text(item.proposal, "proposal", required: false, maxLength: 4_000)
        var location = item.location
        if let stop = item.stop {
            if walk.stops.indices.contains(stop) {
                location = location ?? walk.stops[stop].location
            } else {
                check.fail("stop", "is not a stop of this walk")
            }
        } else if location == nil {
            check.fail("location", "is required without a stop")
        }
        if let point = item.location {
            if !(-90...90).contains(point.lat) || !(-180...180).contains(point.long) {
                check.fail("location", "must be lat and long in degrees")
            } else if !reference.lies(point, within: walk.territoryId) {
                check.fail("location", "must lie within the walk's territory")
            }
        }
        var theme = item.theme ?? ""
        if let category = item.categoryId {
            if let entry = reference.categories[category] { theme = entry.code } else { check.fail("category_id", "is not a known category") }
        } else if item.theme == nil {
            check.fail("theme", "is required without a category")
        } else if let grid, !grid.themes.contains(theme) {
            check.fail("theme", "is not a theme of this walk's grid (\(grid.themes.sorted().joined(separator: ", ")))")
        }
        for (code, answer) in item.answers.sorted(by: { $0.key < $1.key }) {
            guard let gridItem = grid?.items.first(where: { $0.code == code }) else {
                check.fail("answers.\(code)", "is not an item of this walk's grid")
                continue
            }
            if !gridItem.answerType.accepts(answer) { check.fail("answers.\(code)", "is not a \(gridItem.answerType.rawValue) answer") }
        }
        try check.throwIfFailed()
        let answers = String(decoding: try JSONSerialization.data(withJSONObject: item.answers, options: [.sortedKeys]), as: UTF8.self)
        let canonical = [
            item.stop.map(String.init) ?? "", location.map { "\($0.lat),\($0.long)" } ?? "", item.polarity.rawValue, theme,
            item.categoryId ?? "", item.text.trimmingWhitespace, item.proposal?.trimmingWhitespace ?? "", answers,
        ].joined(separator: "\u{1F}")
        let hash = SHA256.hash(data: Data(canonical.utf8)).hexadecimal
        let id = Identifier.make("obs")
        let inserted = try await db.insert(into: "walk_observations")
            .columns(
                "id", "walk_id", "client_id", "stop_position", "lat", "long", "polarity", "theme", "category_id", "text", "proposal",
                "answers", "author_id", "converted_kind", "converted_id", "body_hash", "created_at"
            )
            .values(
                SQLBind(id), SQLBind(walk.id), SQLBind(item.clientId), SQLBind(item.stop), SQLBind(location?.lat), SQLBind(location?.long),
                SQLBind(item.polarity.rawValue), SQLBind(theme), SQLBind(item.categoryId), SQLBind(item.text.trimmingWhitespace),
                SQLBind(item.proposal?.trimmingWhitespace), SQLBind(answers), SQLBind(actor.id), SQLBind(String?.none),
                SQLBind(String?.none), SQLBind(hash), SQLBind(now)
            )
            .ignoringConflicts().returning("id").all()
        if inserted.isEmpty {
            let existing = try await db.select().columns(observationColumns).from("walk_observations")
                .where("walk_id", .equal, walk.id).where("client_id", .equal, item.clientId).first()
            guard let existing, try existing.decode(column: "body_hash", as: String.self) == hash else {
                throw DomainError.conflict("client_id \(item.clientId) was used for another observation of this walk")
            }
            return (try observation(existing), true)
        }
        try await EventLog.append(db, .walk, walk.id, "observation_added", actor: actor, changes: ["observations"], note: id, at: now)
        return (
            Observation(
                id: id, walkId: walk.id, clientId: item.clientId, stop: item.stop, location: location, polarity: item.polarity, theme: theme,
                categoryId: item.categoryId, text: item.text.trimmingWhitespace, proposal: item.proposal?.trimmingWhitespace,
                answers: item.answers, convertedTo: nil, convertedId: nil, createdAt: now), false
        )
    }

    static let observationColumns = [
        "id", "walk_id", "client_id", "stop_position", "lat", "long", "polarity", "theme", "category_id", "text", "proposal", "answers",
        "converted_kind", "converted_id", "body_hash", "created_at",
    ]

    static func observation(_ row: any SQLRow) throws -> Observation {
        let lat = try row.decode(column: "lat", as: Double?.self)
        let long = try row.decode(column: "long", as: Double?.self)
        let answers = try row.decode(column: "answers", as: String.self)
        return Observation(
            id: try row.decode(column: "id", as: String.self), walkId: try row.decode(column: "walk_id", as: String.self),
            clientId: try row.decode(column: "client_id", as: String.self), stop: try row.decode(column: "stop_position", as: Int?.self),
            location: lat.flatMap { lat in long.map { Position(long: $0, lat: lat) } },
            polarity: ObservationPolarity(rawValue: try row.decode(column: "polarity", as: String.self)) ?? .negative,
            theme: try row.decode(column: "theme", as: String.self), categoryId: try row.decode(column: "category_id", as: String?.self),
            text: try row.decode(column: "text", as: String.self), proposal: try row.decode(column: "proposal", as: String?.self),
            answers: (try? JSONDecoder().decode([String: String].self, from: Data(answers.utf8))) ?? [:],
            convertedTo: (try row.decode(column: "converted_kind", as: String?.self)).flatMap(ConversionTarget.init(rawValue:)),
            convertedId: try row.decode(column: "converted_id", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self))
    }

    /// A walk's observations, in the order they were recorded.
    public func observations(_ walkId: String, page: PageRequest, by actor: Actor) async throws -> Page<Observation> {
        try Permissions.requireRole(actor, .readWalk)
        let rows = try await database.read { db in
            _ = try await Self.visibleWalk(walkId, actor, db)
            let rows = try await db.select().columns(Self.observationColumns.map { SQLColumn($0, table: "walk_observations") })
                .from("walk_observations").where("walk_id", .equal, walkId).paged(page, table: "walk_observations").all()
                .map(Self.observation)
            return try await Self.withPhotos(rows, db)
        }.map { $0.redacted(for: actor) }
        return Page(rows: rows, request: page) { PageCursor(createdAt: $0.createdAt, id: $0.id) }
    }
}
