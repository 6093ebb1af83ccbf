import GUSPDatabase
import SQLKit

/// One numbered, ordered change of the schema or its reference data, applied once per database.
public struct Migration: Sendable {
    public let number: Int
    public let name: String
    /// Data it leaves to the code of the day, computed once every migration is applied (see `DerivedData`).
    let rebuilds: [DerivedData]
    let apply: @Sendable (any SQLDatabase, Engine) async throws -> Void

    init(
        _ number: Int, _ name: String, rebuilds: [DerivedData] = [],
        apply: @escaping @Sendable (any SQLDatabase, Engine) async throws -> Void
    ) {
        self.number = number
        self.name = name
        self.rebuilds = rebuilds
        self.apply = apply
    }

    /// Every migration, in order. Append; never renumber or edit one that has shipped. A migration is
    /// frozen: it writes out the SQL, names and values it needs rather than calling feature code that may
    /// change later (rules, catalogues, rollups, grids); data computed by such code is a `DerivedData`.
    /// Shared value primitives whose form is part of the stored data (`Identifier.make`,
    /// `storedMilliseconds`) are the exception: changing them would itself need a migration.
    public static let all: [Migration] = [
        .coreSchema,
        .defaultCategories,
        .territoryBoundingBoxIndex,
        .signalements,
        .conventions,
        .workers,
        .indicatorRollups,
        .gridCellIndex,
        .referenceChanges,
        .sharedLimits,
        .securityLog,
        .engagements,
        .walks,
        .walkPhotosAndReports,
        .meetings,
        .residents,
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
