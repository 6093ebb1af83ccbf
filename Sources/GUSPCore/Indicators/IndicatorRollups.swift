import Foundation
import GUSPDatabase
import SQLKit

/// The indicator rollups: additive measures per Paris day and per Paris month, category, territory and
/// partner (`indicator_rollups`, grain `day` or `month`), changed in the transaction of every command
/// that changes a signalement, so that indicators read a few thousand rows instead of every signalement.
package enum IndicatorRollups {
    static let table = "indicator_rollups"

    /// Adds `change` (day cells) to the day rows and to the rows of their months.
    static func add(_ change: [IndicatorCell: IndicatorMeasures], _ db: any SQLDatabase) async throws {
        let rows = upsertRows(change)
        for chunk in stride(from: 0, to: rows.count, by: 500).map({ rows[$0..<min($0 + 500, rows.count)] }) {
            var values: SQLQueryString = ""
            for (index, row) in chunk.enumerated() {
                values += index == 0 ? "(" : ", ("
                for (position, value) in row.enumerated() { values += position == 0 ? "\(value.bind)" : ", \(value.bind)" }
                values += ")"
            }
            try await db.raw(
                "INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: upsertColumns.joined(separator: ", "))) VALUES \(values) \(unsafeRaw: upsertConflict)"
            ).run()
        }
    }

    /// The same through the direct SQLite writer: one prepared upsert, run once per row.
    static func add(_ change: [IndicatorCell: IndicatorMeasures], _ db: DirectSQLite) throws {
        for row in upsertRows(change) { try db.run(singleRowUpsert, row) }
    }

    private static let singleRowUpsert = TableRows(table, upsertColumns).singleRowInsert + " " + upsertConflict

    static let upsertColumns = ["grain", "period", "category_id", "territory_id", "partner_id"] + IndicatorMeasures.columns
    static let upsertConflict =
        "ON CONFLICT (grain, period, territory_id, partner_id, category_id) DO UPDATE SET "
        + IndicatorMeasures.columns.map { "\($0) = \(table).\($0) + excluded.\($0)" }.joined(separator: ", ")

    /// The day rows of `change` and the rows of their months, sorted so that two writers on PostgreSQL
    /// take the rows' locks in the same order.
    static func upsertRows(_ change: [IndicatorCell: IndicatorMeasures]) -> [[ColumnValue]] {
        var months: [IndicatorCell: IndicatorMeasures] = [:]
        for (cell, measures) in change {
            var month = cell
            month.day = String(cell.day.prefix(8)) + "01"
            months[month, default: .init()] += measures
        }
        let rows = change.map { ("day", $0.key, $0.value) } + months.map { ("month", $0.key, $0.value) }
        func order(_ row: (String, IndicatorCell, IndicatorMeasures)) -> (String, String, String, String, String) {
            (row.0, row.1.day, row.1.territoryId, row.1.partnerId, row.1.categoryId)
        }
        return rows.sorted { order($0) < order($1) }.map { grain, cell, measures in
            [.text(grain), .text(cell.day), .text(cell.categoryId), .text(cell.territoryId), .text(cell.partnerId)]
                + measures.values.map { .integer($0) }
        }
    }

    /// The facts a signalement contributes from (its escalations given apart).
    static func facts(_ s: Signalement, escalations: [(at: Int64, level: Int)] = []) -> IndicatorContribution.Facts {
        .init(
            categoryId: s.categoryId, territoryId: s.territoryId, partnerId: s.partnerId, status: s.status, createdAt: s.createdAt,
            resolvedAt: s.resolvedAt, dueAt: s.dueAt, history: s.history, escalations: escalations)
    }

    /// Moves a signalement's contribution from what it was (`previous`) to what it is, into `changes` when
    /// given (written by the caller at the end of its transaction), else at once. Its escalations count
    /// under its category, territory and partner too: they move only when one of those changed.
    static func record(
        _ signalement: Signalement, from previous: Signalement?, into changes: IndicatorChanges? = nil,
        _ db: any SQLDatabase
    ) async throws {
        var escalations: [(at: Int64, level: Int)] = []
        if let previous,
            previous.categoryId != signalement.categoryId || previous.partnerId != signalement.partnerId
                || previous.territoryId != signalement.territoryId
        {
            escalations = try await db.select().columns("created_at", "level").from("escalations")
                .where("signalement_id", .equal, signalement.id).all()
                .map { (try $0.decode(column: "created_at", as: Int64.self), try $0.decode(column: "level", as: Int.self)) }
        }
        let change = IndicatorContribution.change(
            from: previous.map { facts($0, escalations: escalations) },
            to: facts(signalement, escalations: escalations))
        if let changes { changes.merge(change) } else { try await add(change, db) }
    }

    /// Computes every rollup again from the signalements and escalations (after the migration that adds
    /// them, after a bulk load): reads by pages, sums in memory, replaces the table.
    package static func rebuild(_ db: any SQLDatabase) async throws {
        let cells = try await computed(db)
        try await db.delete(from: table).run()
        try await add(cells, db)
    }

    /// What the day rows should hold, from the signalements and escalations as they are.
    static func computed(_ db: any SQLDatabase) async throws -> [IndicatorCell: IndicatorMeasures] {
        var cells: [IndicatorCell: IndicatorMeasures] = [:]
        var after = ""
        while true {
            let rows = try await db.select()
                .columns(
                    "id", "category_id", "territory_id", "partner_id", "status", "created_at", "resolved_at", "due_at",
                    "reopened", "arbitrated", "recurring"
                )
                .from("signalements").where("id", .greaterThan, after).orderBy("id").limit(20_000).all()
            guard let last = rows.last else { break }
            after = try last.decode(column: "id", as: String.self)
            for row in rows {
                let facts = IndicatorContribution.Facts(
                    categoryId: try row.decode(column: "category_id", as: String.self),
                    territoryId: try row.decode(column: "territory_id", as: String?.self),
                    partnerId: try row.decode(column: "partner_id", as: String?.self),
                    status: SignalementStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .closed,
                    createdAt: try row.decode(column: "created_at", as: Int64.self),
                    resolvedAt: try row.decode(column: "resolved_at", as: Int64?.self), dueAt: try row.decode(column: "due_at", as: Int64?.self),
                    history: SignalementHistory(
                        reopened: try row.decode(column: "reopened", as: Int.self) != 0,
                        arbitrated: try row.decode(column: "arbitrated", as: Int.self) != 0,
                        recurring: try row.decode(column: "recurring", as: Int.self) != 0),
                    escalations: [])
                for (cell, measures) in IndicatorContribution.of(facts) { cells[cell, default: .init()] += measures }
            }
        }
        var afterEscalation = ""
        while true {
            let rows = try await db.select()
                .columns(
                    SQLColumn("id", table: "escalations"), SQLColumn("created_at", table: "escalations"), SQLColumn("level", table: "escalations"),
                    SQLColumn("category_id", table: "signalements"), SQLColumn("territory_id", table: "signalements"),
                    SQLColumn("partner_id", table: "signalements")
                )
                .from("escalations")
                .join("signalements", on: SQLColumn("id", table: "signalements"), .equal, SQLColumn("signalement_id", table: "escalations"))
                .where(SQLColumn("id", table: "escalations"), .greaterThan, SQLBind(afterEscalation))
                .orderBy(SQLColumn("id", table: "escalations")).limit(20_000).all()
            guard let last = rows.last else { break }
            afterEscalation = try last.decode(column: "id", as: String.self)
            for row in rows {
                let cell = IndicatorCell(
                    day: ParisPeriods.day(ofMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
                    categoryId: try row.decode(column: "category_id", as: String.self),
                    territoryId: try row.decode(column: "territory_id", as: String?.self) ?? "",
                    partnerId: try row.decode(column: "partner_id", as: String?.self) ?? "")
                cells[cell, default: .init()] += .escalation(level: try row.decode(column: "level", as: Int.self))
            }
        }
        return cells
    }

    /// The cells where the rollups differ from what the signalements and escalations give (both grains),
    /// as `grain|period|category|territory|partner`: none when the incremental path kept them right.
    static func differences(_ db: any SQLDatabase) async throws -> [String] {
        var expected: [String: [Int64]] = [:]
        for (cell, measures) in try await computed(db) where !measures.isZero {
            let month = String(cell.day.prefix(8)) + "01"
            expected["day|\(cell.day)|\(cell.categoryId)|\(cell.territoryId)|\(cell.partnerId)"] = measures.values
            let key = "month|\(month)|\(cell.categoryId)|\(cell.territoryId)|\(cell.partnerId)"
            expected[key] = zip(expected[key] ?? Array(repeating: 0, count: measures.values.count), measures.values).map { $0 + $1 }
        }
        let stored = try await snapshot(db)
        return Set(expected.keys).union(stored.keys).filter { expected[$0] != stored[$0] }.sorted()
    }

    /// Every non-zero row, for comparing the incremental rollups with a rebuild.
    static func snapshot(_ db: any SQLDatabase) async throws -> [String: [Int64]] {
        var result: [String: [Int64]] = [:]
        for row in try await db.select().columns(["grain", "period", "category_id", "territory_id", "partner_id"] + IndicatorMeasures.columns)
            .from(table).all()
        {
            let values = try IndicatorMeasures.columns.map { try row.decode(column: $0, as: Int64.self) }
            guard values.contains(where: { $0 != 0 }) else { continue }
            let key = try ["grain", "period", "category_id", "territory_id", "partner_id"].map { try row.decode(column: $0, as: String.self) }
            result[key.joined(separator: "|")] = values
        }
        return result
    }
}

/// Rollup changes gathered through one transaction and written once at its end, sorted like every other
/// write: a command that changes several signalements (an intervention resolving many) then takes the
/// rollup rows' locks in the same order as the others, after every signalement's, and cannot deadlock
/// with them on PostgreSQL.
final class IndicatorChanges {
    private(set) var cells: [IndicatorCell: IndicatorMeasures] = [:]

    func merge(_ change: [IndicatorCell: IndicatorMeasures]) {
        for (cell, measures) in change { cells[cell, default: .init()] += measures }
    }

    func write(_ db: any SQLDatabase) async throws {
        try await IndicatorRollups.add(cells.filter { !$0.value.isZero }, db)
        cells = [:]
    }
}
