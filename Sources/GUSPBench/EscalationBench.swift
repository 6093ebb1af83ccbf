import Foundation
import GUSPCore
import GUSPDatabase
import SQLKit

/// For `scripts/bench` (through `gusp bench-sweep`): a database with many open signalements of which a
/// few are due to escalate, and the time one sweep takes over them.
public enum EscalationBench {
    /// Fills the store's (fresh) database with `open` assigned signalements of partner-routed categories,
    /// of which `due` have passed their due date; the rest are due in the coming months.
    public static func seed(_ store: Store, open: Int, due: Int) async throws {
        let root = Actor(kind: .user, id: "bench", role: .admin, partnerId: nil, territoryIds: [], tokenId: "bench", tokenExpiresAt: .max)
        let commune = try await store.createTerritory(NewTerritory(kind: .commune, code: "26362", label: "Valence"), by: root)
        let qpv = try await store.createTerritory(
            NewTerritory(kind: .qpv, code: "QN02607M", label: "Les Hauts de Valence", parentId: commune.id),
            by: root)
        let partner = try await store.createPartner(NewPartner(kind: .bailleur, name: "Bailleur", territoryIds: [qpv.id]), by: root)
        let categories = try await store.categories(CategoryFilter(), page: try PageRequest(limit: 500), by: root).items.map(\.id)
        let now = store.clock.now().storedMilliseconds
        let day: Int64 = 86_400_000
        // One transaction: a commit (and its fsync) per batch would take minutes for a million rows.
        try await store.database.write { db in
            var index = 0
            while index < open {
                let batch = min(500, open - index)
                let first = index
                do {
                    let insert = db.insert(into: "signalements").columns(Store.signalementColumns)
                    for offset in 0..<batch {
                        let number = first + offset
                        let isDue = number < due
                        let created = now - Int64(number % 300) * day - day
                        let dueAt = isDue ? now - Int64(1 + number % 1_000) * 1_000 : now + Int64(1 + number % 120) * day
                        insert.values(
                            SQLBind(String(format: "sig_bench%012d", number)), SQLBind(categories[number % categories.count]), SQLBind("assigned"),
                            SQLBind("normal"), SQLBind("app"), SQLBind("bench"), SQLBind(44.92), SQLBind(4.91),
                            SQLBind(GroundDistance.cell(of: Position(long: 4.91, lat: 44.92))),
                            SQLBind(String?.none), SQLBind(qpv.id), SQLBind(partner.id), SQLBind(String?.none), SQLBind("bench"), SQLBind(dueAt),
                            SQLBind(String?.none), SQLBind(0), SQLBind(Int64?.none), SQLBind(Int64?.none), SQLBind(1), SQLBind(created),
                            SQLBind(created), SQLBind(0), SQLBind(0), SQLBind(dueAt), SQLBind(dueAt), SQLBind(0), SQLBind(0), SQLBind(0),
                            SQLBind(String(format: "BENCH-%012d", number)))
                    }
                    try await insert.run()
                }
                index += batch
            }
        }
        try await store.database.write { db in try await db.raw("ANALYZE").run() }
    }

    /// Times sweeps of the `due` signalements (each run puts them back as due first), and gives the
    /// median and the slowest, in milliseconds.
    public static func timeSweeps(_ store: Store, due: Int, runs: Int = 5) async throws -> (median: Double, slowest: Double, escalated: Int) {
        _ = try await store.referenceSnapshot()
        var times: [Double] = []
        var escalated = 0
        for _ in 0..<runs {
            try await store.database.write { db in
                try await db.raw("DELETE FROM escalations").run()
                try await db.raw("DELETE FROM outbox").run()
                try await db.raw("DELETE FROM events WHERE action = 'escalated'").run()
                try await db.raw(
                    """
                    UPDATE signalements SET escalation_level = 0, next_escalation_at = due_at WHERE id < \(bind: String(format: "sig_bench%012d", due))
                    """
                ).run()
            }
            let start = ContinuousClock.now
            let result = try await store.sweepEscalations(limit: max(due, 1))
            let elapsed = ContinuousClock.now - start
            times.append(Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15)
            escalated = result.escalated
        }
        times.sort()
        return (times[times.count / 2], times.last ?? 0, escalated)
    }
}
