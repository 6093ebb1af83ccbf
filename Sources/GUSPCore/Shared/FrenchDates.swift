import Foundation

/// Dates as residents and partners read them, in Paris: "22 septembre 2026", "14 h 05".
public enum FrenchDates {
    static let months = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ]

    /// "22 septembre 2026", in Paris.
    public static func day(_ milliseconds: Int64) -> String {
        let parts = Commitment.parisCalendar.dateComponents([.year, .month, .day], from: Date(storedMilliseconds: milliseconds))
        return "\(parts.day!) \(months[parts.month! - 1]) \(parts.year!)"
    }

    static func day(ofText day: String) -> String {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]) else { return day }
        return "\(parts[2]) \(months[parts[1] - 1]) \(parts[0])"
    }

    /// "14 h 05", in Paris.
    public static func time(_ milliseconds: Int64) -> String {
        let parts = Commitment.parisCalendar.dateComponents([.hour, .minute], from: Date(storedMilliseconds: milliseconds))
        return "\(parts.hour!) h \(String(format: "%02d", parts.minute!))"
    }
}
