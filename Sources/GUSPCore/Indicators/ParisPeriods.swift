import Foundation

/// Europe/Paris calendar periods for indicators: a day, an ISO week (Monday first) or a month, keyed by
/// its first day (`YYYY-MM-DD`). Daylight-saving days have 23 or 25 hours; the calendar knows.
public enum ParisPeriods {
    static var calendar: Calendar { Commitment.parisCalendar }

    /// The years indicators cover (the summer-time rule of `day(ofMilliseconds:)` holds from 1996; a
    /// period ends on the day after its last, which must still be a four-digit year).
    public static let years = 2000...2100

    /// Midnight in Paris at the start of `day` (`YYYY-MM-DD`, in `years`), in stored milliseconds.
    public static func start(of day: String) -> Int64? {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, LandParcel.isDay(day), years.contains(parts[0]) else { return nil }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))?.storedMilliseconds
    }

    /// Midnight in Paris at the end of `day` (the start of the next day), in stored milliseconds.
    public static func end(of day: String) -> Int64? {
        guard start(of: day) != nil else { return nil }
        return start(of: next(day))
    }

    /// The day after `day` (a valid `YYYY-MM-DD`).
    package static func next(_ day: String) -> String {
        let after = CivilDate.civil(fromDays: days(of: day) + 1)
        return text(after.year, after.month, after.day)
    }

    /// Days since 1970-01-01 of a valid `YYYY-MM-DD`.
    static func days(of day: String) -> Int64 {
        let parts = day.split(separator: "-").compactMap { Int64($0) }
        return CivilDate.days(fromCivil: parts[0], parts[1], parts[2])
    }

    /// The first day of the month after the one holding `day`.
    static func nextMonth(_ day: String) -> String {
        let (year, month) = (Int64(day.prefix(4))!, Int64(day.dropFirst(5).prefix(2))!)
        return month == 12 ? text(year + 1, 1, 1) : text(year, month + 1, 1)
    }

    /// The first day of the month before the one holding `day`.
    static func previousMonth(_ day: String) -> String {
        let (year, month) = (Int64(day.prefix(4))!, Int64(day.dropFirst(5).prefix(2))!)
        return month == 1 ? text(year - 1, 12, 1) : text(year, month - 1, 1)
    }

    /// The day before `day`.
    static func previousDay(_ day: String) -> String {
        let before = CivilDate.civil(fromDays: days(of: day) - 1)
        return text(before.year, before.month, before.day)
    }

    /// The key of the period of `grouping` holding the Paris day `day`.
    public static func key(ofDay day: String, _ grouping: IndicatorGrouping) -> String {
        switch grouping {
        case .month: return String(day.prefix(8)) + "01"
        case .week:
            let days = days(of: day)
            let weekday = ((days + 3) % 7 + 7) % 7  // 0 = Monday (1970-01-01 was a Thursday)
            let monday = CivilDate.civil(fromDays: days - weekday)
            return text(monday.year, monday.month, monday.day)
        default: return day
        }
    }

    /// Every period key of `grouping` from the one holding `from` to the one holding `to`, in order.
    public static func keys(from: String, to: String, _ grouping: IndicatorGrouping) -> [String] {
        var keys: [String] = []
        let last = days(of: to)
        var day = days(of: from)
        while day <= last {
            let date = CivilDate.civil(fromDays: day)
            let key = key(ofDay: text(date.year, date.month, date.day), grouping)
            if keys.last != key { keys.append(key) }
            day += 1
        }
        return keys
    }
}

extension ParisPeriods {
    /// The Paris calendar day (`YYYY-MM-DD`) of a stored time, by the European summer-time rule (since
    /// 1996: from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October),
    /// without a calendar: rollups and their rebuild compute it for every signalement.
    public static func day(ofMilliseconds milliseconds: Int64) -> String {
        let hour: Int64 = 3_600_000
        let utcDay = CivilDate.floorDivide(milliseconds, 24 * hour)
        let year = CivilDate.civil(fromDays: utcDay).year
        let summerStart = (lastSunday(year: year, month: 3) * 24 + 1) * hour
        let summerEnd = (lastSunday(year: year, month: 10) * 24 + 1) * hour
        let offset = milliseconds >= summerStart && milliseconds < summerEnd ? 2 * hour : hour
        let (y, m, d) = CivilDate.civil(fromDays: CivilDate.floorDivide(milliseconds + offset, 24 * hour))
        return text(y, m, d)
    }

    /// `YYYY-MM-DD`.
    static func text(_ year: Int64, _ month: Int64, _ day: Int64) -> String {
        var text = String(year)
        text.reserveCapacity(10)
        text += month < 10 ? "-0\(month)" : "-\(month)"
        text += day < 10 ? "-0\(day)" : "-\(day)"
        return text
    }

    /// Whole UTC days since 1970-01-01 of a stored time.
    package static func floorDays(_ milliseconds: Int64) -> Int64 { CivilDate.floorDivide(milliseconds, 86_400_000) }

    /// Days since 1970-01-01 of the last Sunday of `month` (March or October: 31 days).
    private static func lastSunday(year: Int64, month: Int64) -> Int64 {
        let last = CivilDate.days(fromCivil: year, month, 31)
        let weekday = (last + 4) % 7  // 0 = Sunday (1970-01-01 was a Thursday)
        return last - (weekday < 0 ? weekday + 7 : weekday)
    }
}
