import Foundation

/// Europe/Paris calendar periods for indicators: a day, an ISO week (Monday first) or a month, keyed by
/// its first day (`YYYY-MM-DD`). Daylight-saving days have 23 or 25 hours; the calendar knows.
public enum ParisPeriods {
    static var calendar: Calendar { Commitment.parisCalendar }

    /// Midnight in Paris at the start of `day` (`YYYY-MM-DD`), in stored milliseconds.
    public static func start(of day: String) -> Int64? {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, LandParcel.isDay(day) else { return nil }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))?.storedMilliseconds
    }

    /// The day after `day`.
    static func next(_ day: String) -> String {
        let date = Date(storedMilliseconds: start(of: day)! + 36 * 3_600_000)
        return LandParcel.day(of: date)
    }

    /// The key of the period of `grouping` holding the Paris day `day`.
    public static func key(ofDay day: String, _ grouping: IndicatorGrouping) -> String {
        switch grouping {
        case .month: return String(day.prefix(8)) + "01"
        case .week:
            let date = Date(storedMilliseconds: start(of: day)! + 12 * 3_600_000)
            let weekday = calendar.component(.weekday, from: date)  // 1 = Sunday
            let back = (weekday + 5) % 7
            return LandParcel.day(of: calendar.date(byAdding: .day, value: -back, to: date)!)
        default: return day
        }
    }

    /// Every period key of `grouping` from the one holding `from` to the one holding `to`, in order.
    public static func keys(from: String, to: String, _ grouping: IndicatorGrouping) -> [String] {
        var keys: [String] = []
        var day = from
        while day <= to {
            let key = key(ofDay: day, grouping)
            if keys.last != key { keys.append(key) }
            day = next(day)
        }
        return keys
    }
}
