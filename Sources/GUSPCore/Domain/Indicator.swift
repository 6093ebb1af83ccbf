import Foundation

/// What an indicator's value is: a count, a duration in hours, or a rate from 0 to 1.
public enum IndicatorUnit: String, Sendable, CaseIterable {
    case count, hours, rate
}

/// One indicator of the catalogue: its code, its French label, what it means and how it is computed.
public struct IndicatorDefinition: Sendable, Equatable {
    public var code: String
    public var label: String
    public var definition: String
    public var formula: String
    public var unit: IndicatorUnit
    /// A figure of now (backlog, overdue): no period, so no grouping by day, week or month.
    public var isSnapshot: Bool
}

/// How rows are grouped: by Europe/Paris calendar period, or by category, territory or partner.
public enum IndicatorGrouping: String, Sendable, CaseIterable {
    case day, week, month, category, territory, partner

    public var isPeriod: Bool { [.day, .week, .month].contains(self) }
}

/// What a caller asks: an indicator over Paris calendar days `from`…`to` (both included), filtered.
public struct IndicatorQuery: Sendable {
    public var from: String
    public var to: String
    public var territoryId: String?
    public var partnerId: String?
    public var categoryId: String?
    public var groupBy: IndicatorGrouping?

    public init(from: String, to: String, territoryId: String? = nil, partnerId: String? = nil, categoryId: String? = nil,
                groupBy: IndicatorGrouping? = nil) {
        self.from = from
        self.to = to
        self.territoryId = territoryId
        self.partnerId = partnerId
        self.categoryId = categoryId
        self.groupBy = groupBy
    }
}

/// One row: its key (a period's first day, or an id), its value (nil when it has no sample: a mean
/// over nothing), and the number of signalements it was computed from.
public struct IndicatorRow: Sendable, Equatable {
    public var key: String
    public var value: Double?
    public var sample: Int

    public init(key: String, value: Double?, sample: Int) {
        self.key = key
        self.value = value
        self.sample = sample
    }
}

public struct IndicatorResult: Sendable, Equatable {
    public var definition: IndicatorDefinition
    public var query: IndicatorQueryEcho
    public var rows: [IndicatorRow]
    public var total: IndicatorRow
}

/// The query as answered (normalised).
public struct IndicatorQueryEcho: Sendable, Equatable {
    public var from: String, to: String, groupBy: IndicatorGrouping?
}

/// The indicators gusp computes (more will join them: escalations by level, reopen/reject/duplicate and
/// arbitration rates, recurrence, interventions, action sheets, ATFPB amounts).
public enum IndicatorCatalogue {
    public static let all: [IndicatorDefinition] = [
        .init(code: "signalements_received", label: "Signalements reçus",
              definition: "Signalements déposés pendant la période (date de dépôt, jour de Paris).",
              formula: "count(signalement where created_at in period)", unit: .count, isSnapshot: false),
        .init(code: "signalements_resolved", label: "Signalements résolus",
              definition: "Signalements dont la résolution en vigueur date de la période (un signalement rouvert compte à sa dernière résolution).",
              formula: "count(signalement where resolved_at in period)", unit: .count, isSnapshot: false),
        .init(code: "resolution_time_mean_hours", label: "Délai moyen de résolution (heures)",
              definition: "Moyenne, sur les signalements résolus pendant la période, du temps entre dépôt et résolution.",
              formula: "mean(resolved_at − created_at) over signalements resolved in period", unit: .hours, isSnapshot: false),
        .init(code: "resolution_time_median_hours", label: "Délai médian de résolution (heures)",
              definition: "Médiane, sur les signalements résolus pendant la période, du temps entre dépôt et résolution.",
              formula: "median(resolved_at − created_at) over signalements resolved in period", unit: .hours, isSnapshot: false),
        .init(code: "resolved_within_commitment_rate", label: "Taux de résolution dans le délai d'engagement",
              definition: "Part des signalements résolus pendant la période, et ayant une échéance, résolus au plus tard à leur échéance.",
              formula: "count(resolved_at ≤ due_at) / count(due_at present) over signalements resolved in period", unit: .rate,
              isSnapshot: false),
        .init(code: "backlog_now", label: "Stock de signalements ouverts",
              definition: "Signalements ouverts à l'instant de la requête (ni résolus, ni clos, ni rejetés, ni doublons).",
              formula: "count(signalement where status is open)", unit: .count, isSnapshot: true),
        .init(code: "overdue_now", label: "Signalements en retard",
              definition: "Signalements ouverts dont l'échéance est passée à l'instant de la requête.",
              formula: "count(signalement where status is open and due_at < now)", unit: .count, isSnapshot: true),
    ]

    public static func definition(_ code: String) -> IndicatorDefinition? { all.first { $0.code == code } }
}
