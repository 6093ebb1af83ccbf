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

    /// The day after `day` (a valid `YYYY-MM-DD`).
    static func next(_ day: String) -> String {
        let after = civil(fromDays: days(of: day) + 1)
        return text(after.year, after.month, after.day)
    }

    /// Days since 1970-01-01 of a valid `YYYY-MM-DD`.
    static func days(of day: String) -> Int64 {
        let parts = day.split(separator: "-").compactMap { Int64($0) }
        return days(fromCivil: parts[0], parts[1], parts[2])
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
        let before = civil(fromDays: days(of: day) - 1)
        return text(before.year, before.month, before.day)
    }

    /// The key of the period of `grouping` holding the Paris day `day`.
    public static func key(ofDay day: String, _ grouping: IndicatorGrouping) -> String {
        switch grouping {
        case .month: return String(day.prefix(8)) + "01"
        case .week:
            let days = days(of: day)
            let weekday = ((days + 3) % 7 + 7) % 7  // 0 = Monday (1970-01-01 was a Thursday)
            let monday = civil(fromDays: days - weekday)
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
            let date = civil(fromDays: day)
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
        let utcDay = floorDivide(milliseconds, 24 * hour)
        let year = civil(fromDays: utcDay).year
        let summerStart = (lastSunday(year: year, month: 3) * 24 + 1) * hour
        let summerEnd = (lastSunday(year: year, month: 10) * 24 + 1) * hour
        let offset = milliseconds >= summerStart && milliseconds < summerEnd ? 2 * hour : hour
        let (y, m, d) = civil(fromDays: floorDivide(milliseconds + offset, 24 * hour))
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
    static func floorDays(_ milliseconds: Int64) -> Int64 { floorDivide(milliseconds, 86_400_000) }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    /// Days since 1970-01-01 of the last Sunday of `month` (March or October: 31 days).
    private static func lastSunday(year: Int64, month: Int64) -> Int64 {
        let last = days(fromCivil: year, month, 31)
        let weekday = (last + 4) % 7  // 0 = Sunday (1970-01-01 was a Thursday)
        return last - (weekday < 0 ? weekday + 7 : weekday)
    }

    /// Proleptic Gregorian date from days since 1970-01-01 (H. Hinnant's algorithm).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
