import GUSPAPI
import GUSPCore

// Exhaustive conversions between the contract's enums and the domain's, for indicators: the contract repeats the unit
// and the grouping inline in several schemas and a query, and each gets its own mapping. A case added on either side is
// a compile error here, never a crash at run time. The raw values are the same on both sides.

extension Components.Schemas.IndicatorDefinition.UnitPayload {
    init(_ value: IndicatorUnit) {
        switch value {
        case .count: self = .count
        case .hours: self = .hours
        case .days: self = .days
        case .rate: self = .rate
        case .cents: self = .cents
        }
    }
}

extension Components.Schemas.IndicatorSeries.UnitPayload {
    init(_ value: IndicatorUnit) {
        switch value {
        case .count: self = .count
        case .hours: self = .hours
        case .days: self = .days
        case .rate: self = .rate
        case .cents: self = .cents
        }
    }
}

extension Components.Schemas.DashboardFigure.UnitPayload {
    init(_ value: IndicatorUnit) {
        switch value {
        case .count: self = .count
        case .hours: self = .hours
        case .days: self = .days
        case .rate: self = .rate
        case .cents: self = .cents
        }
    }
}

extension IndicatorUnit {
    init(_ value: Components.Schemas.IndicatorDefinition.UnitPayload) {
        switch value {
        case .count: self = .count
        case .hours: self = .hours
        case .days: self = .days
        case .rate: self = .rate
        case .cents: self = .cents
        }
    }

    init(_ value: Components.Schemas.IndicatorSeries.UnitPayload) {
        switch value {
        case .count: self = .count
        case .hours: self = .hours
        case .days: self = .days
        case .rate: self = .rate
        case .cents: self = .cents
        }
    }

    init(_ value: Components.Schemas.DashboardFigure.UnitPayload) {
        switch value {
        case .count: self = .count
        case .hours: self = .hours
        case .days: self = .days
        case .rate: self = .rate
        case .cents: self = .cents
        }
    }
}

extension Components.Schemas.IndicatorDefinition.GroupingsPayloadPayload {
    init(_ value: IndicatorGrouping) {
        switch value {
        case .day: self = .day
        case .week: self = .week
        case .month: self = .month
        case .category: self = .category
        case .territory: self = .territory
        case .partner: self = .partner
        case .convention: self = .convention
        case .axis: self = .axis
        case .kind: self = .kind
        case .timeOfDay: self = .timeOfDay
        case .role: self = .role
        case .ageBand: self = .ageBand
        case .polarity: self = .polarity
        case .theme: self = .theme
        case .channel: self = .channel
        }
    }
}

extension Components.Schemas.IndicatorSeries.GroupByPayload {
    init(_ value: IndicatorGrouping) {
        switch value {
        case .day: self = .day
        case .week: self = .week
        case .month: self = .month
        case .category: self = .category
        case .territory: self = .territory
        case .partner: self = .partner
        case .convention: self = .convention
        case .axis: self = .axis
        case .kind: self = .kind
        case .timeOfDay: self = .timeOfDay
        case .role: self = .role
        case .ageBand: self = .ageBand
        case .polarity: self = .polarity
        case .theme: self = .theme
        case .channel: self = .channel
        }
    }
}

extension Operations.GetIndicator.Input.Query.GroupByPayload {
    init(_ value: IndicatorGrouping) {
        switch value {
        case .day: self = .day
        case .week: self = .week
        case .month: self = .month
        case .category: self = .category
        case .territory: self = .territory
        case .partner: self = .partner
        case .convention: self = .convention
        case .axis: self = .axis
        case .kind: self = .kind
        case .timeOfDay: self = .timeOfDay
        case .role: self = .role
        case .ageBand: self = .ageBand
        case .polarity: self = .polarity
        case .theme: self = .theme
        case .channel: self = .channel
        }
    }
}

extension IndicatorGrouping {
    init(_ value: Components.Schemas.IndicatorDefinition.GroupingsPayloadPayload) {
        switch value {
        case .day: self = .day
        case .week: self = .week
        case .month: self = .month
        case .category: self = .category
        case .territory: self = .territory
        case .partner: self = .partner
        case .convention: self = .convention
        case .axis: self = .axis
        case .kind: self = .kind
        case .timeOfDay: self = .timeOfDay
        case .role: self = .role
        case .ageBand: self = .ageBand
        case .polarity: self = .polarity
        case .theme: self = .theme
        case .channel: self = .channel
        }
    }

    init(_ value: Components.Schemas.IndicatorSeries.GroupByPayload) {
        switch value {
        case .day: self = .day
        case .week: self = .week
        case .month: self = .month
        case .category: self = .category
        case .territory: self = .territory
        case .partner: self = .partner
        case .convention: self = .convention
        case .axis: self = .axis
        case .kind: self = .kind
        case .timeOfDay: self = .timeOfDay
        case .role: self = .role
        case .ageBand: self = .ageBand
        case .polarity: self = .polarity
        case .theme: self = .theme
        case .channel: self = .channel
        }
    }

    init(_ value: Operations.GetIndicator.Input.Query.GroupByPayload) {
        switch value {
        case .day: self = .day
        case .week: self = .week
        case .month: self = .month
        case .category: self = .category
        case .territory: self = .territory
        case .partner: self = .partner
        case .convention: self = .convention
        case .axis: self = .axis
        case .kind: self = .kind
        case .timeOfDay: self = .timeOfDay
        case .role: self = .role
        case .ageBand: self = .ageBand
        case .polarity: self = .polarity
        case .theme: self = .theme
        case .channel: self = .channel
        }
    }
}
