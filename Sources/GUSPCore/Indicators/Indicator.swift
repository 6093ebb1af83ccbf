import Foundation

/// What an indicator's value is: a count, a duration in hours or days, a rate from 0 to 1, or an
/// amount in euro cents.
public enum IndicatorUnit: String, Sendable, CaseIterable {
    case count, hours, days, rate, cents
}

/// Where an indicator's figures come from.
public enum IndicatorSource: Sendable, Equatable {
    /// The rollups per day and month (`IndicatorMeasures`).
    case rollups
    /// The signalements themselves, through an index (the median; the figures of now).
    case signalements
    /// Interventions reported by partners (done ones; ATFPB amounts).
    case interventions
    /// The fiches-actions of conventions.
    case actionSheets
    /// Walks held (diagnostics en marchant, marches exploratoires), their attendance, observations,
    /// reports and the engagements they started.
    case walks
    /// Meetings (cellules de veille, comités, COPIL), the escalations and arbitrations they review,
    /// the engagements they decide.
    case meetings
    /// What residents were told (messages sent) and answered ("est-ce réglé ?").
    case residents
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
    public var source: IndicatorSource
    /// The groupings it can be broken down by.
    public var groupings: [IndicatorGrouping]
    /// Residents may read it (signalement counts and rates; not partners' amounts or conventions' work).
    public var isPublic: Bool
}

/// How rows are grouped: by Europe/Paris calendar period, or by category, territory or partner; for
/// walks also by kind, time of day, participants' role and age band, observations' polarity and theme.
public enum IndicatorGrouping: String, Sendable, CaseIterable {
    case day, week, month, category, territory, partner, convention, axis
    case kind
    case timeOfDay = "time_of_day"
    case role
    case ageBand = "age_band"
    case polarity, theme
    /// How signalements reached gusp (app, phone, agent, walk, partner_api, open311): intake indicators.
    case channel

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

    public init(
        from: String, to: String, territoryId: String? = nil, partnerId: String? = nil, categoryId: String? = nil,
        groupBy: IndicatorGrouping? = nil
    ) {
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
public struct IndicatorRow: Sendable, Hashable {
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
