import Foundation
import GUSPDatabase
import SQLKit

/// One observation to convert, as a coordinator chooses it after the walk.
public struct ObservationConversion: Sendable {
    public var observationId: String
    public var target: ConversionTarget
    /// Signalement: the category (else the observation's own).
    public var categoryId: String?
    /// Signalement: the description (else the observation's text, with the proposal).
    public var description: String?
    /// Engagement: its terms (the territory is the walk's; the title defaults to the observation's text).
    public var title: String?
    public var leadPartnerId: String?
    public var partnerIds: [String]
    public var dueDate: String?
    public var isPublic: Bool

    public init(
        observationId: String, target: ConversionTarget, categoryId: String? = nil, description: String? = nil, title: String? = nil,
        leadPartnerId: String? = nil, partnerIds: [String] = [], dueDate: String? = nil, isPublic: Bool = false
    ) {
        self.observationId = observationId
        self.target = target
        self.categoryId = categoryId
        self.description = description
        self.title = title
        self.leadPartnerId = leadPartnerId
        self.partnerIds = partnerIds
        self.dueDate = dueDate
        self.isPublic = isPublic
    }
}

/// What became of one conversion.
public struct ConversionOutcome: Sendable {
    public var index: Int
    public var observationId: String
    public var signalement: Signalement?
    public var engagement: Engagement?
    public var error: (any Error)?
}

extension Store {
    static let conversionLimit = 200
    /// A claim on an observation whose signalement is being filed; one older than this (a crash between
    /// the claim and the filing) may be taken again.
    static let conversionClaimLifetime: Int64 = 120_000

    /// Converts chosen observations of a held walk into signalements (channel `walk`, placed, routed and
    /// given their due date as any filing) or engagements, each answered on its own. An observation is
    /// converted once: again is a 409 naming what it became.
    public func convertObservations(
        _ walkId: String, _ items: [ObservationConversion], by actor: Actor
    ) async throws
        -> [ConversionOutcome]
    {
        try Permissions.requireRole(actor, .writeWalk)
        if items.isEmpty || items.count > Self.conversionLimit {
            throw ValidationFailure(field: "items", message: "must hold 1 to \(Self.conversionLimit) conversions")
        }
        let walk = try await database.read { db in try await Self.visibleWalk(walkId, actor, db) }
        if !Permissions.allows(actor, .writeWalk, on: ResourceScope(territoryIds: [walk.territoryId])) {
            throw DomainError.forbidden("this walk is run by the coordinators of its territory")
        }
        guard walk.status == .held || walk.status == .reportPublished else {
            throw DomainError.conflict("observations are converted once the walk is held (this one is \(walk.status.rawValue))")
        }
        var outcomes: [ConversionOutcome] = []
        var seen = Set<String>()
        for (index, item) in items.enumerated() {
            var outcome = ConversionOutcome(index: index, observationId: item.observationId)
            do {
                guard seen.insert(item.observationId).inserted else {
                    throw ValidationFailure(field: "observation_id", message: "appears twice in this request")
                }
                switch item.target {
                case .signalement: outcome.signalement = try await convertToSignalement(item, walk: walk, by: actor)
                case .engagement: outcome.engagement = try await convertToEngagement(item, walk: walk, by: actor)
                }
            } catch let failure as ValidationFailure {
                outcome.error = failure
            } catch let failure as DomainError {
                outcome.error = failure
            }
            outcomes.append(outcome)
        }
        return outcomes
    }

    private func convertToSignalement(_ item: ObservationConversion, walk: Walk, by actor: Actor) async throws -> Signalement {
        let now = nowMilliseconds
        let claim = "pending:\(now)"
        // Claimed first, so that two conversions of one observation cannot both file.
        let observation = try await database.write { db in
            let observation = try await Self.convertible(item.observationId, walk: walk, now: now, db)
            guard observation.location != nil else {
                throw ValidationFailure(field: "observation_id", message: "has no location to file a signalement at")
            }
            try await db.update("walk_observations").set("converted_kind", to: ConversionTarget.signalement.rawValue)
                .set("converted_id", to: claim).where("id", .equal, observation.id).run()
            return observation
        }
        let release = { [database] in
            try await database.write { db in
                try await db.update("walk_observations").set("converted_kind", to: SQLLiteral.null).set("converted_id", to: SQLLiteral.null)
                    .where("id", .equal, observation.id).where("converted_id", .equal, claim).run()
            }
        }
        let filed: Signalement
        do {
            guard let category = item.categoryId ?? observation.categoryId else {
                throw ValidationFailure(field: "category_id", message: "is required: the observation names no category")
            }
            var description = item.description ?? observation.text
            if item.description == nil, let proposal = observation.proposal { description += "\nProposition : " + proposal }
            filed = try await createSignalement(
                NewSignalement(categoryId: category, channel: .walk, description: description, location: observation.location),
                by: actor
            ).signalement
        } catch {
            try await release()
            throw error
        }
        try await database.write { db in
            try await db.update("walk_observations").set("converted_id", to: filed.id).where("id", .equal, observation.id)
                .where("converted_id", .equal, claim).run()
            try await EventLog.append(
                db, .signalement, filed.id, "walk_observation", actor: actor,
                note: "from observation \(observation.id) of walk \(walk.id) (\(walk.kind.rawValue))", at: now)
            try await EventLog.append(
                db, .walk, walk.id, "observation_converted", actor: actor, changes: ["observations"],
                note: "\(observation.id) → \(filed.id)", at: now)
        }
        return filed
    }

    private func convertToEngagement(_ item: ObservationConversion, walk: Walk, by actor: Actor) async throws -> Engagement {
        let reference = try await referenceSnapshot()
        let today = self.today
        let now = nowMilliseconds
        return try await database.write { db in
            let observation = try await Self.convertible(item.observationId, walk: walk, now: now, db)
            var check = Validator()
            if item.leadPartnerId == nil { check.fail("lead_partner_id", "is required for an engagement") }
            if item.dueDate == nil { check.fail("due_date", "is required for an engagement") }
            try check.throwIfFailed()
            let title = item.title ?? String(observation.text.unicodeScalars.prefix(Self.engagementTitleLength).map(Character.init))
            let new = NewEngagement(
                title: title, description: observation.proposal, territoryId: walk.territoryId, leadPartnerId: item.leadPartnerId!,
                partnerIds: item.partnerIds, dueDate: item.dueDate!, isPublic: item.isPublic)
            try Self.checkNewEngagement(new, reference: reference, today: today, field: "")
            let engagement = try await Self.insertEngagement(
                new, source: .walk, sourceId: walk.id, by: actor, at: now, reference: reference, today: today, db)
            try await db.update("walk_observations").set("converted_kind", to: ConversionTarget.engagement.rawValue)
                .set("converted_id", to: engagement.id).where("id", .equal, observation.id).run()
            try await EventLog.append(
                db, .walk, walk.id, "observation_converted", actor: actor, changes: ["observations"],
                note: "\(observation.id) → \(engagement.id)", at: now)
            return engagement
        }
    }

    /// The observation, locked, if it belongs to the walk and is not converted (nor being converted).
    private static func convertible(_ id: String, walk: Walk, now: Int64, _ db: any SQLDatabase) async throws -> Observation {
        guard
            let row = try await db.select().columns(observationColumns).from("walk_observations")
                .where("id", .equal, id).where("walk_id", .equal, walk.id).for(.update).first()
        else { throw DomainError.notFound("observation not found in this walk") }
        let observation = try observation(row)
        if let target = observation.convertedTo, let earlier = observation.convertedId {
            if earlier.hasPrefix("pending:"), let since = Int64(earlier.dropFirst(8)), now - since > conversionClaimLifetime {
                return observation
            }
            throw DomainError.conflict(
                earlier.hasPrefix("pending:")
                    ? "the observation is being converted to a \(target.rawValue)"
                    : "the observation is already converted to \(target.rawValue) \(earlier)")
        }
        return observation
    }
}
