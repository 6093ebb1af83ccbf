import Foundation

/// When a service commitment falls due, counted in Europe/Paris local time.
///
/// - `hours`: that many hours of elapsed time.
/// - `days`: the same local time that many calendar days later (a day is 23 or 25 hours across a
///   daylight-saving change).
/// - `business_days`: that many whole business days (not Saturday, Sunday or a French public holiday).
///   Filed on a business day, the commitment falls due at the same local time on the Nth business day
///   after; filed on another day, the count starts at midnight of the next business day.
extension Commitment {
    public static let timeZone = TimeZone(identifier: "Europe/Paris")!

    public func dueDate(from start: Date) -> Date {
        let calendar = Self.parisCalendar
        switch unit {
        case .hours:
            return start.addingTimeInterval(TimeInterval(amount) * 3600)
        case .days:
            return calendar.date(byAdding: .day, value: amount, to: start)!
        case .businessDays:
            var origin = start
            if !Self.isBusinessDay(origin) {
                origin = calendar.startOfDay(for: origin)
                while !Self.isBusinessDay(origin) { origin = calendar.date(byAdding: .day, value: 1, to: origin)! }
            }
            var due = origin
            var counted = 0
            while counted < amount {
                due = calendar.date(byAdding: .day, value: 1, to: due)!
                if Self.isBusinessDay(due) { counted += 1 }
            }
            return due
        }
    }

    /// Whether the Paris calendar day of `date` is a business day.
    public static func isBusinessDay(_ date: Date) -> Bool {
        let parts = parisCalendar.dateComponents([.year, .month, .day, .weekday], from: date)
        guard let weekday = parts.weekday, weekday != 1, weekday != 7 else { return false }  // Sunday 1, Saturday 7
        return !FrenchHolidays.isHoliday(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    static var parisCalendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
