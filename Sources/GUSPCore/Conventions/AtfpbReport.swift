/// A line of an ATFPB convention's yearly programme: what the bailleur plans on one axis in one QPV.
public struct AtfpbProgrammeLine: Sendable, Equatable {
    public var axis: Int
    public var territoryId: String
    public var plannedCents: Int64
    public var actions: String

    public init(axis: Int, territoryId: String, plannedCents: Int64, actions: String = "") {
        self.axis = axis
        self.territoryId = territoryId
        self.plannedCents = plannedCents
        self.actions = actions
    }
}

/// Sums of one cell of the bilan (or of a total), in cents.
public struct AtfpbAmounts: Sendable, Equatable {
    public var plannedCents: Int64 = 0
    public var realisedCents: Int64 = 0
    public var atfpbShareCents: Int64 = 0
    public var otherFundingCents: Int64 = 0
    /// Interventions done in the year on this axis and QPV.
    public var interventions: Int = 0

    public init() {}

    mutating func add(_ other: AtfpbAmounts) {
        plannedCents += other.plannedCents
        realisedCents += other.realisedCents
        atfpbShareCents += other.atfpbShareCents
        otherFundingCents += other.otherFundingCents
        interventions += other.interventions
    }
}

/// One axis × QPV line of the bilan.
public struct AtfpbReportLine: Sendable, Equatable {
    public var axis: Int
    public var territoryId: String
    public var actions: String
    public var amounts: AtfpbAmounts
}

/// The yearly ATFPB bilan of one convention.
public struct AtfpbReport: Sendable, Equatable {
    public var conventionId: String
    public var bailleurId: String
    public var year: Int
    public var lines: [AtfpbReportLine]
    public var axisTotals: [(axis: Int, amounts: AtfpbAmounts)]
    public var totals: AtfpbAmounts

    public static func == (lhs: AtfpbReport, rhs: AtfpbReport) -> Bool {
        lhs.conventionId == rhs.conventionId && lhs.year == rhs.year && lhs.lines == rhs.lines && lhs.totals == rhs.totals
            && lhs.axisTotals.map(\.axis) == rhs.axisTotals.map(\.axis) && lhs.axisTotals.map(\.amounts) == rhs.axisTotals.map(\.amounts)
    }

    /// The column codes of `csv`, in order.
    public static let csvColumns = [
        "year", "axis", "axis_title", "territory_id", "territory_code", "territory_label", "planned_eur", "realised_eur", "atfpb_share_eur",
        "other_funding_eur", "interventions", "actions",
    ]

    /// Euros with two decimals, exactly, from cents (`-` sign kept): what the CSV shows.
    public static func euros(_ cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// The bilan as CSV (RFC 4180, comma-separated, amounts in euros): one line per axis × QPV, then one
    /// total per axis (`territory_id` = `total`), then the grand total (`axis` = `total`).
    public func csv(territories: [String: KeyName]) -> String {
        var rows = [Self.csvColumns.joined(separator: ",")]
        func row(_ axis: String, _ title: String, _ territory: String, _ name: KeyName?, _ amounts: AtfpbAmounts, _ actions: String) -> String {
            [
                String(year), axis, title, territory, name?.code ?? "", name?.label ?? "", Self.euros(amounts.plannedCents),
                Self.euros(amounts.realisedCents),
                Self.euros(amounts.atfpbShareCents), Self.euros(amounts.otherFundingCents), String(amounts.interventions), actions,
            ]
            .map(Self.csvField).joined(separator: ",")
        }
        for line in lines {
            rows.append(
                row(
                    String(line.axis), AtfpbAxis.titles[line.axis] ?? "", line.territoryId, territories[line.territoryId],
                    line.amounts, line.actions))
        }
        for total in axisTotals {
            rows.append(row(String(total.axis), AtfpbAxis.titles[total.axis] ?? "", "total", nil, total.amounts, ""))
        }
        rows.append(row("total", "", "total", nil, totals, ""))
        return rows.joined(separator: "\r\n") + "\r\n"
    }

    /// A field quoted when it must be; a leading `=`, `+`, `-` or `@` is prefixed with `'` so that a
    /// spreadsheet does not run it as a formula (amounts are never negative, so they are not touched).
    public static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first), Int64(value.replacingOccurrences(of: ".", with: "")) == nil {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
