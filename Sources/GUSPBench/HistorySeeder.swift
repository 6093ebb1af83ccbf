import Foundation
import GUSPCore
import GUSPDatabase
import SQLKit

/// What `HistorySeeder.seed` wrote.
public struct SeededHistory: Sendable {
    public var signalements: Int
    public var escalations: Int
    public var first: String
    public var last: String
}

/// A realistic history of signalements for the demo territories, for benchmarks and demonstrations
/// (`gusp demo --signalements N`): filed over `years` years up to now, more on weekdays; categories and
/// territories skewed (a few of each take most filings), hot spots that recur; routed, given due dates
/// and escalated by the same rules as live filings; most resolved (late ones escalated), some reopened,
/// rejected, merged or waiting for arbitration, the recent ones still open. It writes the signalements
/// and their escalations (not an event log for each), then computes the indicator rollups from them.
public enum HistorySeeder {
    public static func seed(_ store: Store, count: Int, years: Int = 3, seed: UInt64 = 2026) async throws -> SeededHistory {
        var random = SplitMix64(seed: seed)
        let reference = try await store.referenceSnapshot()
        let now = store.nowMilliseconds
        let day: Int64 = 86_400_000
        let span = Int64(years) * 365 * day
        let spots = Self.spots(reference, &random)
        guard !spots.isEmpty else { throw StorageFailure(description: "no territory with a contour to place signalements in") }
        let territories = spots.keys.sorted()
        let categories = reference.categories.values.filter { entry in
            entry.residentFileable != 0 && !reference.categories.values.contains { $0.parentId == entry.id }
        }.map(\.id).sorted()
        // Filing times first, in order, so that ids follow time and recurrence is decided in filing order.
        var times: [Int64] = []
        times.reserveCapacity(count)
        while times.count < count {
            let at = now - span + Int64(random.unit() * Double(span - 3_600_000))
            let weekday = ((ParisPeriods.floorDays(at) + 3) % 7 + 7) % 7  // 0 = Monday
            if weekday >= 5, random.unit() < 0.45 { continue }
            times.append(at)
        }
        times.sort()
        var grid = Recurrence.Grid()
        var lastOfCategory: [String: String] = [:]
        var escalationNumber = 0
        var written = 0
        for start in stride(from: 0, to: count, by: 20_000) {
            var rows: [[any SQLExpression]] = []
            var escalations: [[any SQLExpression]] = []
            for index in start..<min(start + 20_000, count) {
                let createdAt = times[index]
                let id = String(format: "sig_h%010d", index)
                let territoryId = territories[random.skewed(territories.count)]
                let territorySpots = spots[territoryId]!
                let location = territorySpots[random.skewed(territorySpots.count)]
                let categoryId = categories[random.skewed(categories.count)]
                let chain = reference.categoryChain(categoryId)
                let route = SignalementRouting.route(
                    chain, location: location, territoryId: territoryId,
                    at: Date(storedMilliseconds: createdAt), reference: reference)
                var partnerId = route.partnerId
                let arbitrated = partnerId == nil
                if arbitrated, now - createdAt > 3 * day { partnerId = reference.partnersByTerritory[territoryId]?.first?.id }
                let dueAt = ServiceCommitments.dueDate(
                    chain, territoryId: territoryId, partnerId: partnerId, filedAt: createdAt,
                    now: createdAt, reference: reference)
                let recurring = grid.file(Recurrence.Filing(id: id, categoryId: categoryId, location: location, filedAt: createdAt))
                let delay = max(dueAt.map { $0 - createdAt } ?? 2 * day, 3_600_000)
                var status: SignalementStatus = partnerId == nil ? .needsArbitration : .assigned
                var resolvedAt: Int64?, closedAt: Int64?, duplicateOf: String?
                var reopened = false
                let outcome = random.unit()
                if partnerId != nil, outcome < 0.05 {
                    status = .rejected
                } else if partnerId != nil, outcome < 0.09, let original = lastOfCategory[categoryId] {
                    status = .duplicate
                    duplicateOf = original
                } else if partnerId != nil {
                    // Time to resolve: log-normal around 60 % of the commitment's delay (a quarter late).
                    let factor = exp(random.normal() * 0.8) * 0.6
                    var resolution = createdAt + Int64(Double(delay) * factor) + 600_000
                    reopened = random.unit() < 0.03
                    if reopened { resolution += Int64(random.unit() * 10) * day + day }
                    if resolution < now {
                        resolvedAt = resolution
                        status = .resolved
                        if now - resolution > 30 * day {
                            status = .closed
                            closedAt = resolution + 7 * day
                        }
                    } else {
                        status = reopened ? .reopened : .inProgress
                    }
                }
                lastOfCategory[categoryId] = id
                // Escalations of the overdue track: the due date, then half the delay and the whole delay after it.
                var level = 0
                var next: Int64?
                if arbitrated, createdAt + 2 * day >= now {
                    next = createdAt + 2 * day
                } else if arbitrated {
                    // Waited for arbitration beyond 48 h (those assigned waited 3 days): one escalation to the coordination.
                    escalationNumber += 1
                    escalations.append([
                        SQLBind(String(format: "esc_h%010d", escalationNumber)), SQLBind(id), SQLBind(0),
                        SQLBind(EscalationAudience.coordinatorsLevel), SQLBind("arbitration"), SQLBind("coordinators"),
                        SQLBind(String?.none), SQLBind(territoryId), SQLBind(Int64?.none), SQLBind(createdAt + 2 * day),
                    ])
                }
                if partnerId != nil, let dueAt, status.isOpen || resolvedAt != nil {
                    let end = resolvedAt ?? now
                    for (reached, at) in [dueAt, dueAt + delay / 2, dueAt + delay].enumerated() {
                        if at < end {
                            level = reached + 1
                            escalationNumber += 1
                            escalations.append([
                                SQLBind(String(format: "esc_h%010d", escalationNumber)), SQLBind(id), SQLBind(0),
                                SQLBind(level), SQLBind("overdue"), SQLBind(EscalationAudience.of(level: level).rawValue),
                                SQLBind(partnerId), SQLBind(territoryId), SQLBind(dueAt), SQLBind(at),
                            ])
                        } else if status.isOpen, next == nil {
                            next = at
                        }
                    }
                }
                rows.append([
                    SQLBind(id), SQLBind(categoryId), SQLBind(status.rawValue), SQLBind("normal"),
                    SQLBind(["app", "app", "phone", "agent", "walk"][index % 5]), SQLBind("Signalement d'historique (démo)"),
                    SQLBind(location.lat), SQLBind(location.long), SQLBind(GroundDistance.cell(of: location)), SQLBind(String?.none),
                    SQLBind(territoryId), SQLBind(partnerId), SQLBind(String?.none), SQLBind("seed"), SQLBind(dueAt), SQLBind(duplicateOf),
                    SQLBind(0), SQLBind(resolvedAt), SQLBind(closedAt), SQLBind(1), SQLBind(createdAt), SQLBind(closedAt ?? resolvedAt ?? createdAt),
                    SQLBind(level), SQLBind(0), SQLBind(dueAt), SQLBind(next),
                    SQLBind(reopened ? 1 : 0), SQLBind(arbitrated ? 1 : 0), SQLBind(recurring ? 1 : 0),
                    // Not a number a resident reads back: history has no one to read it to.
                    SQLBind("HIST-" + id),
                ])
            }
            let (batch, batchEscalations) = (rows, escalations)
            try await store.database.write { db in
                for chunk in stride(from: 0, to: batch.count, by: 500) {
                    let insert = db.insert(into: "signalements").columns(Store.signalementColumns)
                    for row in batch[chunk..<min(chunk + 500, batch.count)] { insert.values(row) }
                    try await insert.run()
                }
                for chunk in stride(from: 0, to: batchEscalations.count, by: 1_000) {
                    let insert = db.insert(into: "escalations")
                        .columns("id", "signalement_id", "cycle", "level", "reason", "audience", "partner_id", "territory_id", "due_at", "created_at")
                    for row in batchEscalations[chunk..<min(chunk + 1_000, batchEscalations.count)] { insert.values(row) }
                    try await insert.run()
                }
            }
            written += rows.count
        }
        try await store.database.write { db in
            try await IndicatorRollups.rebuild(db)
            try await db.raw("ANALYZE").run()
        }
        return SeededHistory(
            signalements: written, escalations: escalationNumber,
            first: times.first.map { ParisPeriods.day(ofMilliseconds: $0) } ?? "",
            last: times.last.map { ParisPeriods.day(ofMilliseconds: $0) } ?? "")
    }

    /// Up to 2,000 places inside each territory that has a contour (the most specific one holding them).
    static func spots(_ reference: ReferenceSnapshot, _ random: inout SplitMix64) -> [String: [Position]] {
        let boxes = reference.territories.values.compactMap(\.box)
        guard let first = boxes.first else { return [:] }
        let box = boxes.dropFirst().reduce(first) { total, box in
            BoundingBox(
                minLong: min(total.minLong, box.minLong), minLat: min(total.minLat, box.minLat),
                maxLong: max(total.maxLong, box.maxLong), maxLat: max(total.maxLat, box.maxLat))
        }
        var spots: [String: [Position]] = [:]
        for _ in 0..<40_000 {
            let point = Position(
                long: box.minLong + random.unit() * (box.maxLong - box.minLong),
                lat: box.minLat + random.unit() * (box.maxLat - box.minLat))
            guard let territory = reference.territory(containing: point), spots[territory, default: []].count < 2_000 else { continue }
            spots[territory, default: []].append(point)
        }
        return spots
    }
}
