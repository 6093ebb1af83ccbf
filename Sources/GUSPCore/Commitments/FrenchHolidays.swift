import Foundation

/// The French public holidays (jours fériés) that business days skip: eleven dates, three of them
/// moving with Easter. Alsace-Moselle's Good Friday and 26 December are not included (a deployment
/// there will need them as configuration).
public enum FrenchHolidays {
    /// Easter Sunday of a Gregorian year (anonymous Gregorian computus), as (month, day).
    public static func easterSunday(_ year: Int) -> (month: Int, day: Int) {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return (month, day)
    }

    /// The holidays of a year as (month, day), in calendar order.
    public static func dates(in year: Int) -> [(month: Int, day: Int)] {
        let easter = easterSunday(year)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let sunday = calendar.date(from: DateComponents(year: year, month: easter.month, day: easter.day))!
        func afterEaster(_ days: Int) -> (Int, Int) {
            let date = calendar.date(byAdding: .day, value: days, to: sunday)!
            return (calendar.component(.month, from: date), calendar.component(.day, from: date))
        }
        let fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
        let moving = [afterEaster(1), afterEaster(39), afterEaster(50)]  // Easter Monday, Ascension, Whit Monday
        return (fixed + moving).sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { (month: $0.0, day: $0.1) }
    }

    public static func isHoliday(year: Int, month: Int, day: Int) -> Bool {
        dates(in: year).contains { $0.month == month && $0.day == day }
    }
}
