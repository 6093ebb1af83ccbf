import Foundation
import SQLKit

/// A filed signalement with the open ones nearby that may be the same problem.
public struct FiledSignalement: Sendable {
    public var signalement: Signalement
    public var possibleDuplicates: [NearbySignalement]
}

extension Store {
    /// Files a signalement: checks the input and the category, derives the territory from the point,
    /// routes it and computes its due date (from the reference data in memory), finds possible
    /// duplicates (from the grid in memory), then writes it, its contact (apart), the reporter as
    /// follower and the "created" event in one transaction shared with the filings arriving at the
    /// same time (`IntakeBatcher`).
    public func createSignalement(_ new: NewSignalement, by actor: Actor) async throws -> FiledSignalement {
        try Permissions.requireRole(actor, .createSignalement)
        var check = Validator()
        let channel = SignalementRules.channel(for: actor, asked: new.channel, into: &check)
        SignalementRules.check(new, by: actor, into: &check)
        try check.throwIfFailed()
        let now = nowMilliseconds
        let reference = try await referenceSnapshot()
        let categories = reference.categoryChain(new.categoryId)
        guard let category = categories.category else {
            throw ValidationFailure(field: "category_id", message: "is not a known category")
        }
        if actor.role == .resident, category.residentFileable == 0 {
            throw ValidationFailure(
                field: "category_id", message: "residents may not file \(category.code); call the partner or 17/112 in an emergency")
        }
        var territoryId = new.territoryId
        if let location = new.location {
            territoryId = reference.territory(containing: location)
            if territoryId == nil, !settings.acceptOutsideTerritories {
                throw ValidationFailure(field: "location", message: "is outside every territory this deployment serves")
            }
        } else if let territory = territoryId, reference.territories[territory] == nil {
            throw ValidationFailure(field: "territory_id", message: "unknown territories: \(territory)")
        }
        // An address alone is not placed: it goes to arbitration, where a coordinator places it.
        if let territoryId, !Permissions.allows(actor, .createSignalement, on: ResourceScope(territoryIds: [territoryId])) {
            throw DomainError.forbidden("a coordinator files signalements in their own territories")
        }
        let route = SignalementRouting.route(
            categories, location: new.location, territoryId: territoryId,
            at: Date(storedMilliseconds: now), reference: reference)
        let status: SignalementStatus = route.partnerId == nil ? .needsArbitration : .submitted
        let isResident = actor.role == .resident
        let year = PublicReference.year(ofMilliseconds: now)
        let number = try await references.next(year: year, database)
        var signalement = Signalement(
            id: Identifier.make("sig"), reference: PublicReference.format(prefix: settings.residents.referencePrefix, year: year, number: number),
            categoryId: category.id, status: status, priority: new.priority ?? .normal,
            channel: channel, description: new.description.trimmingWhitespace, location: new.location,
            address: new.address?.trimmingWhitespace, territoryId: territoryId, partnerId: route.partnerId,
            reporterId: isResident ? actor.id : nil, contact: new.contact.flatMap { $0.isEmpty ? nil : $0 },
            dueAt: ServiceCommitments.dueDate(
                categories, territoryId: territoryId, partnerId: route.partnerId, filedAt: now, now: now,
                reference: reference),
            duplicateOf: nil, confirmationsCount: 0, followersCount: isResident ? 1 : 0, photos: [], resolvedAt: nil, closedAt: nil,
            version: 1, createdAt: now, updatedAt: now)
        signalement.escalation = EscalationSchedule.initial(signalement, policy: settings.escalation)
        signalement.history.arbitrated = status == .needsArbitration
        try await recent.refreshIfDue(window: settings.duplicateWindow, now: Date(storedMilliseconds: now), database)
        let duplicates = try await readable(possibleDuplicates(of: signalement, now: now), by: actor)
        signalement.history.recurring = try await recurs(signalement, now: now)
        // The filer gets back the contact they typed (not a read of anyone's stored data).
        let filed = FiledSignalement(signalement: signalement.withContact(for: actor, filedBy: actor.id), possibleDuplicates: duplicates)
        // Its idempotency record, with its answer, commits with it (see `IdempotentRequest`).
        let idempotent = IdempotentRequest.current
        let record = idempotent?.filingRows(for: filed)
        let rows = FilingRows(
            signalement: signalement, filedBy: actor.id, followerId: isResident ? actor.id : nil,
            eventId: Identifier.make("evt"), actorId: actor.id, actorRole: actor.role,
            eventNote: "routing: \(route.reason)", idempotency: record)
        do {
            try await intake.commit(rows)
            if record != nil { idempotent?.settleFiling(committed: true) }
        } catch {
            guard let idempotent, record != nil else { throw error }
            idempotent.settleFiling(committed: false)
            // Failed alone (see `GroupCommit`) because another filing with the key committed first?
            if (try? await idempotencyRecordExists(idempotent.keyHash)) == true { throw IdempotencyKeyTaken() }
            throw error
        }
        recent.record(signalement, window: settings.duplicateWindow, now: now)
        return filed
    }

    public func signalement(_ id: String, by actor: Actor) async throws -> Signalement {
        try Permissions.requireRole(actor, .readSignalement)
        let loaded = try await database.read { try await Self.visibleSignalement(id, actor, $0) }
        let shown = loaded.signalement.withContact(for: actor, filedBy: loaded.filedBy)
        // RGPD: staff reading a reporter's contact leave a trace (never of the data itself).
        if shown.contact != nil, !SignalementAccess.isReporter(actor, loaded.signalement) {
            try await logContactRead(of: id, by: actor)
        }
        return shown
    }

    /// Open signalements of the same category within the configured radius and window, nearest first
    /// (the `maximumPossibleDuplicates` nearest): from the in-memory grid of recent signalements when it can answer, else through the
    /// grid cells' index (`signalements_cell`). The state is checked here rather than in SQL.
    /// A filer checks a few candidates ("is it one of these?"), not a map: the nearest five.
    public static let maximumPossibleDuplicates = 5

    /// (The caller refreshes the in-memory grid first: filing asks it twice, for duplicates and recurrence.)
    func possibleDuplicates(of signalement: Signalement, now: Int64) async throws -> [NearbySignalement] {
        guard let center = signalement.location else { return [] }
        let radius = settings.duplicateRadius
        let since = now - Int64(settings.duplicateWindow * 1000)
        if let nearest = recent.nearestOpen(
            categoryId: signalement.categoryId, center: center, since: since, radius: radius,
            limit: Self.maximumPossibleDuplicates, excluding: signalement.id)
        {
            return nearest
        }
        let cells = GroundDistance.cells(around: center, meters: radius)
        let box = GroundDistance.box(around: center, meters: radius)
        let candidates = try await database.read { db in
            let query = db.select().columns("id", "status", "lat", "long", "created_at").from("signalements")
                .where("category_id", .equal, signalement.categoryId)
            if let cells {
                query.where("cell", .in, cells)
            } else if let ranges = GroundDistance.cellRanges(in: box) {
                query.where(Self.cells(in: ranges))
            }
            return
                try await query
                .where("lat", .greaterThanOrEqual, box.minLat).where("lat", .lessThanOrEqual, box.maxLat)
                .where("long", .greaterThanOrEqual, box.minLong).where("long", .lessThanOrEqual, box.maxLong)
                .where("created_at", .greaterThanOrEqual, since)
                .limit(1_000).all()
        }
        var nearby: [NearbySignalement] = []
        for row in candidates {
            let id = try row.decode(column: "id", as: String.self)
            let status = SignalementStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .closed
            let position = Position(long: try row.decode(column: "long", as: Double.self), lat: try row.decode(column: "lat", as: Double.self))
            let distance = GroundDistance.meters(center, position)
            guard id != signalement.id, status.isOpen, distance <= radius else { continue }
            nearby.append(
                NearbySignalement(
                    id: id, status: status, distanceMeters: (distance * 10).rounded() / 10,
                    createdAt: try row.decode(column: "created_at", as: Int64.self)))
        }
        return Array(nearby.sorted { ($0.distanceMeters, $0.id) < ($1.distanceMeters, $1.id) }.prefix(Self.maximumPossibleDuplicates))
    }

    /// Only the possible duplicates the filer may read: a partner's staff must not learn, by filing at any
    /// point, of another partner's reports there. Roles that read every signalement skip the lookup.
    func readable(_ nearby: [NearbySignalement], by actor: Actor) async throws -> [NearbySignalement] {
        guard !nearby.isEmpty, !Permissions.reachesAll(actor, .readSignalement) else { return nearby }
        let rows = try await database.read { db in
            try await db.select().columns("id", "partner_id", "territory_id", "reporter_id", "filed_by").from("signalements")
                .where("id", .in, nearby.map(\.id)).all()
        }
        var readable = Set<String>()
        for row in rows {
            let allowed = SignalementAccess.mayRead(
                actor, partnerId: try row.decode(column: "partner_id", as: String?.self),
                territoryId: try row.decode(column: "territory_id", as: String?.self),
                reporterId: try row.decode(column: "reporter_id", as: String?.self), filedBy: try row.decode(column: "filed_by", as: String?.self))
            if allowed { readable.insert(try row.decode(column: "id", as: String.self)) }
        }
        return nearby.filter { readable.contains($0.id) }
    }

    /// Whether a signalement being filed recurs (see `Recurrence`): from the index in memory when it can
    /// answer (the caller refreshed it), else from the database.
    func recurs(_ signalement: Signalement, now: Int64) async throws -> Bool {
        guard let location = signalement.location else { return false }
        if let answer = recent.anyFiled(
            categoryId: signalement.categoryId, center: location, since: now - Recurrence.window,
            until: now, radius: Recurrence.radius, excluding: signalement.id)
        {
            return answer
        }
        let (id, categoryId) = (signalement.id, signalement.categoryId)
        return try await database.read { db in
            try await Recurrence.recurs(categoryId: categoryId, location: location, filedAt: now, excluding: id, db)
        }
    }

    static func follow(_ signalementId: String, userId: String, at now: Int64, _ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO signalement_followers (signalement_id, user_id, created_at)
            VALUES (\(bind: signalementId), \(bind: userId), \(bind: now)) ON CONFLICT DO NOTHING
            """
        ).run()
    }
}
