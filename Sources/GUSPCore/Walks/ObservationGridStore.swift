import Foundation
import SQLKit

extension Store {
    static func loadGrids(_ ids: [String]?, _ db: any SQLDatabase) async throws -> [ObservationGrid] {
        let query = db.select().columns("id", "code", "label", "created_at").from("observation_grids")
        if let ids { query.where("id", .in, ids) }
        let rows = try await query.orderBy("created_at").orderBy("id").all()
        guard !rows.isEmpty else { return [] }
        var items: [String: [GridItem]] = [:]
        let gridIds = try rows.map { try $0.decode(column: "id", as: String.self) }
        for row in try await db.select().columns("grid_id", "code", "label", "theme", "answer_type").from("observation_grid_items")
            .where("grid_id", .in, gridIds).orderBy("position").all()
        {
            items[try row.decode(column: "grid_id", as: String.self), default: []].append(
                GridItem(
                    code: try row.decode(column: "code", as: String.self), label: try row.decode(column: "label", as: String.self),
                    theme: try row.decode(column: "theme", as: String.self),
                    answerType: GridAnswerType(rawValue: try row.decode(column: "answer_type", as: String.self)) ?? .text))
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: String.self)
            return ObservationGrid(
                id: id, code: try row.decode(column: "code", as: String.self), label: try row.decode(column: "label", as: String.self),
                items: items[id] ?? [], createdAt: try row.decode(column: "created_at", as: Int64.self))
        }
    }

    /// Every observation grid (they are shared by the whole deployment).
    public func observationGrids(by actor: Actor) async throws -> [ObservationGrid] {
        try Permissions.requireRole(actor, .readWalk)
        return try await database.read { db in try await Self.loadGrids(nil, db) }
    }

    public func observationGrid(_ id: String, by actor: Actor) async throws -> ObservationGrid {
        try Permissions.requireRole(actor, .readWalk)
        guard let grid = try await database.read({ db in try await Self.loadGrids([id], db) }).first else {
            throw DomainError.notFound("observation grid not found")
        }
        return grid
    }

    /// A coordinator writes a grid of their own (codes are unique; items 1 to 50, codes unique in the grid).
    public func createObservationGrid(code: String, label: String, items: [GridItem], by actor: Actor) async throws -> ObservationGrid {
        try Permissions.requireRole(actor, .writeWalk)
        var check = Validator()
        if code.range(of: "^[a-z0-9_]{2,40}$", options: .regularExpression) == nil {
            check.fail("code", "must be 2 to 40 lower-case letters, digits or underscores")
        }
        check.text(label, "label", maxLength: 200)
        if !(1...50).contains(items.count) { check.fail("items", "must list 1 to 50 items") }
        if Set(items.map(\.code)).count != items.count { check.fail("items", "must not use an item code twice") }
        for (index, item) in items.enumerated() {
            if item.code.range(of: "^[a-z0-9_]{1,40}$", options: .regularExpression) == nil {
                check.fail("items[\(index)].code", "must be 1 to 40 lower-case letters, digits or underscores")
            }
            check.text(item.label, "items[\(index)].label", maxLength: 300)
            if item.theme.range(of: "^[a-z0-9_]{1,40}$", options: .regularExpression) == nil {
                check.fail("items[\(index)].theme", "must be 1 to 40 lower-case letters, digits or underscores")
            }
        }
        try check.throwIfFailed()
        let now = nowMilliseconds
        return try await database.write { db in
            let id = Identifier.make("grd")
            try await db.insertUnique(
                db.insert(into: "observation_grids").columns("id", "code", "label", "created_at")
                    .values(SQLBind(id), SQLBind(code), SQLBind(label.trimmingWhitespace), SQLBind(now)),
                whenDuplicate: "an observation grid with this code exists")
            let insert = db.insert(into: "observation_grid_items").columns("grid_id", "position", "code", "label", "theme", "answer_type")
            for (position, item) in items.enumerated() {
                insert.values(
                    SQLBind(id), SQLBind(position), SQLBind(item.code), SQLBind(item.label.trimmingWhitespace), SQLBind(item.theme),
                    SQLBind(item.answerType.rawValue))
            }
            try await insert.run()
            return try await Self.loadGrids([id], db)[0]
        }
    }
}
