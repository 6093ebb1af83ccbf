import SQLKit

/// One numbered, ordered change of the schema or its reference data, applied once per database.
public struct Migration: Sendable {
    public let number: Int
    public let name: String
    let apply: @Sendable (any SQLDatabase, Engine) async throws -> Void

    init(_ number: Int, _ name: String, apply: @escaping @Sendable (any SQLDatabase, Engine) async throws -> Void) {
        self.number = number
        self.name = name
        self.apply = apply
    }

    /// Every migration, in order. Append; never renumber or edit one that has shipped.
    public static let all: [Migration] = [
        .coreSchema,
        .defaultCategories,
        .territoryBoundingBoxIndex,
        .signalements,
        .conventions,
        .workers,
        .indicatorRollups,
        .gridCellIndex,
    ]
}

extension SQLDatabase {
    /// Runs statements of static SQL (no values) one by one.
    func execute(statements: [String]) async throws {
        for statement in statements {
            try await raw(SQLQueryString(statement)).run()
        }
    }
}
