import Foundation

/// What a signalement's past holds for indicators, kept on its row by the commands (never shown).
struct SignalementHistory: Sendable, Equatable {
    /// It was reopened at least once.
    var reopened = false
    /// It waited for arbitration at least once (at filing, or sent back later).
    var arbitrated = false
    /// When it was filed, an earlier signalement of the same category had been filed within 50 m in the
    /// 90 days before (see `Recurrence`).
    var recurring = false
}

/// The additive figures indicators are computed from, for one Paris day (or month) and one category,
/// territory and partner. A signalement contributes to them through `IndicatorContribution`; every
/// change of a signalement adds what it contributes now and takes away what it contributed before.
struct IndicatorMeasures: Sendable, Equatable {
    var received: Int64 = 0
    var resolved: Int64 = 0
    /// The sum of the resolved ones' times from filing to resolution, in milliseconds.
    var resolutionMilliseconds: Int64 = 0
    /// Resolved ones that had a due date, and of them those resolved by it.
    var judged: Int64 = 0
    var withinCommitment: Int64 = 0
    /// Received ones that were reopened, rejected, merged as duplicates, sent to arbitration, recurring.
    var reopened: Int64 = 0
    var rejected: Int64 = 0
    var duplicates: Int64 = 0
    var arbitrated: Int64 = 0
    var recurring: Int64 = 0
    /// Escalations recorded at levels 1, 2 and 3.
    var escalations1: Int64 = 0
    var escalations2: Int64 = 0
    var escalations3: Int64 = 0

    /// The rollup table's columns, in the order of `values`.
    static let columns = [
        "received", "resolved", "resolution_ms", "judged", "within_commitment", "reopened", "rejected",
        "duplicates", "arbitrated", "recurring", "escalations_1", "escalations_2", "escalations_3",
    ]

    var values: [Int64] {
        [
            received, resolved, resolutionMilliseconds, judged, withinCommitment, reopened, rejected, duplicates, arbitrated,
            recurring, escalations1, escalations2, escalations3,
        ]
    }

    init() {}

    init(values: [Int64]) {
        (received, resolved, resolutionMilliseconds, judged, withinCommitment) = (values[0], values[1], values[2], values[3], values[4])
        (reopened, rejected, duplicates, arbitrated, recurring) = (values[5], values[6], values[7], values[8], values[9])
        (escalations1, escalations2, escalations3) = (values[10], values[11], values[12])
    }

    /// One escalation at `level`.
    static func escalation(level: Int) -> Self {
        var measures = Self()
        switch level {
        case 1: measures.escalations1 = 1
        case 2: measures.escalations2 = 1
        default: measures.escalations3 = 1
        }
        return measures
    }

    var isZero: Bool { values.allSatisfy { $0 == 0 } }

    static func + (lhs: Self, rhs: Self) -> Self { Self(values: zip(lhs.values, rhs.values).map { $0 + $1 }) }
    static func - (lhs: Self, rhs: Self) -> Self { Self(values: zip(lhs.values, rhs.values).map { $0 - $1 }) }
    static func += (lhs: inout Self, rhs: Self) { lhs = lhs + rhs }
}

/// Where measures are counted: a Paris day and the signalement's category, territory and partner as they
/// are now ("" for none).
struct IndicatorCell: Hashable, Sendable {
    var day: String
    var categoryId: String
    var territoryId: String
    var partnerId: String
}

/// What one signalement contributes to the rollups: its filing on the day it was filed (received, and
/// the cohort figures: reopened, rejected, duplicate, arbitrated, recurring), its resolution in force on
/// the day it was resolved, and each escalation on its day — all under its category, territory and
/// partner as they are now, so a correction moves every figure with it.
enum IndicatorContribution {
    struct Facts: Sendable, Equatable {
        var categoryId: String
        var territoryId: String?
        var partnerId: String?
        var status: SignalementStatus
        var createdAt: Int64
        var resolvedAt: Int64?
        var dueAt: Int64?
        var history: SignalementHistory
        /// The escalations recorded for it: when, and at which level.
        var escalations: [(at: Int64, level: Int)]

        static func == (lhs: Facts, rhs: Facts) -> Bool {
            lhs.categoryId == rhs.categoryId && lhs.territoryId == rhs.territoryId && lhs.partnerId == rhs.partnerId
                && lhs.status == rhs.status && lhs.createdAt == rhs.createdAt && lhs.resolvedAt == rhs.resolvedAt
                && lhs.dueAt == rhs.dueAt && lhs.history == rhs.history
                && lhs.escalations.map(\.at) == rhs.escalations.map(\.at) && lhs.escalations.map(\.level) == rhs.escalations.map(\.level)
        }
    }

    static func of(_ facts: Facts) -> [IndicatorCell: IndicatorMeasures] {
        var result: [IndicatorCell: IndicatorMeasures] = [:]
        func cell(_ at: Int64) -> IndicatorCell {
            IndicatorCell(
                day: ParisPeriods.day(ofMilliseconds: at), categoryId: facts.categoryId,
                territoryId: facts.territoryId ?? "", partnerId: facts.partnerId ?? "")
        }
        var filing = IndicatorMeasures()
        filing.received = 1
        filing.reopened = facts.history.reopened ? 1 : 0
        filing.rejected = facts.status == .rejected ? 1 : 0
        filing.duplicates = facts.status == .duplicate ? 1 : 0
        filing.arbitrated = facts.history.arbitrated ? 1 : 0
        filing.recurring = facts.history.recurring ? 1 : 0
        result[cell(facts.createdAt), default: .init()] += filing
        if let resolvedAt = facts.resolvedAt {
            var resolution = IndicatorMeasures()
            resolution.resolved = 1
            resolution.resolutionMilliseconds = resolvedAt - facts.createdAt
            if let dueAt = facts.dueAt {
                resolution.judged = 1
                resolution.withinCommitment = resolvedAt <= dueAt ? 1 : 0
            }
            result[cell(resolvedAt), default: .init()] += resolution
        }
        for escalation in facts.escalations {
            result[cell(escalation.at), default: .init()] += .escalation(level: escalation.level)
        }
        return result
    }

    /// What to add to the rollups when a signalement's facts go from `old` (nil: it is new) to `new`.
    static func change(from old: Facts?, to new: Facts) -> [IndicatorCell: IndicatorMeasures] {
        var result = of(new)
        if let old {
            for (cell, measures) in of(old) { result[cell, default: .init()] = result[cell, default: .init()] - measures }
        }
        return result.filter { !$0.value.isZero }
    }
}
