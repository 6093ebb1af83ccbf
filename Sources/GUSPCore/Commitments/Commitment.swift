/// How a promised delay is counted.
public enum CommitmentUnit: String, Sendable, Codable, CaseIterable {
    case hours
    /// Calendar days.
    case days
    /// Days other than Saturdays, Sundays and French public holidays.
    case businessDays = "business_days"
}

/// A service commitment: the delay within which a signalement of a category must be handled.
public struct Commitment: Sendable, Equatable, Codable {
    public var amount: Int
    public var unit: CommitmentUnit

    public init(amount: Int, unit: CommitmentUnit) {
        self.amount = amount
        self.unit = unit
    }

    public static let maximumAmount = 10_000
}
