import SQLKit

/// Data computed from other stored data by the code of the day, not by a migration: a migration that
/// adds such data names it (`Migration.rebuilds`), the migrator records the request in the migration's
/// own transaction and, once every migration is applied, computes it with the current code. A crash in
/// between leaves the request recorded, so the next start computes it. This keeps migrations frozen:
/// none calls code that may change after it shipped.
enum DerivedData: String, Sendable, CaseIterable {
    /// `signalements.recurring` (see `Recurrence`).
    case recurrence
    /// `indicator_rollups` (see `IndicatorRollups`); after `recurrence`, which it counts.
    case indicatorRollups = "indicator_rollups"

    /// Computes it again from what is stored.
    func rebuild(_ db: any SQLDatabase) async throws {
        switch self {
        case .recurrence: try await Recurrence.backfill(db)
        case .indicatorRollups: try await IndicatorRollups.rebuild(db)
        }
    }

    static let table = "derived_data_rebuilds"
}
