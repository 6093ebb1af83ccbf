/// Amounts arrive as JSON numbers of euro cents. A JSON number is read as a double, which holds every
/// whole number of cents up to 2^53 exactly (far beyond `ConventionRules.maximumCents`): a value with a
/// fraction of a cent, or too large to be exact, is refused rather than rounded.
public enum Cents {
    public static func whole(_ value: Double?, _ field: String, into check: inout Validator) -> Int64? {
        guard let value else { return nil }
        guard value.isFinite, abs(value) <= 9_007_199_254_740_992 else {
            check.fail(field, "must be a whole number of cents of at most \(ConventionRules.maximumCents)")
            return nil
        }
        guard value.rounded(.towardZero) == value else {
            check.fail(field, "must be a whole number of cents: a fraction of a cent is not accepted")
            return nil
        }
        return Int64(value)
    }
}
