import Foundation
import GUSPCore
import Testing

@Suite("Service commitments: due dates")
struct DueDateTests {
    /// A Paris local time.
    static func paris(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = Commitment.timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!
    }

    @Test("Easter Sunday by the computus", arguments: [(2024, 3, 31), (2025, 4, 20), (2026, 4, 5), (2027, 3, 28), (2038, 4, 25)])
    func easter(year: Int, month: Int, day: Int) {
        #expect(FrenchHolidays.easterSunday(year) == (month, day))
    }

    @Test("the eleven French public holidays of 2026")
    func holidays2026() {
        let dates = FrenchHolidays.dates(in: 2026).map { "\($0.month)-\($0.day)" }
        #expect(dates == ["1-1", "4-6", "5-1", "5-8", "5-14", "5-25", "7-14", "8-15", "11-1", "11-11", "12-25"])
    }

    @Test("hours are elapsed time, also across the spring daylight-saving change")
    func hours() {
        let due = Commitment(amount: 48, unit: .hours).dueDate(from: Self.paris("2026-03-28 10:00"))
        #expect(due == Self.paris("2026-03-30 11:00"))
    }

    @Test("calendar days keep the local time across a daylight-saving change")
    func days() {
        #expect(Commitment(amount: 15, unit: .days).dueDate(from: Self.paris("2026-03-20 09:30")) == Self.paris("2026-04-04 09:30"))
        #expect(Commitment(amount: 1, unit: .days).dueDate(from: Self.paris("2026-10-24 18:00")) == Self.paris("2026-10-25 18:00"))
    }

    @Test(
        "business days skip weekends and holidays",
        arguments: [
            // filed, amount, due
            ("2026-05-04 10:00", 5, "2026-05-12 10:00"),  // Fri 8 May (Victoire 1945) and the weekend skipped
            ("2026-05-13 16:00", 1, "2026-05-15 16:00"),  // Thu 14 May is Ascension
            ("2026-05-22 09:00", 1, "2026-05-26 09:00"),  // weekend, then Whit Monday 25 May
            ("2026-11-20 12:00", 5, "2026-11-27 12:00"),  // a plain week
            ("2026-12-24 08:00", 1, "2026-12-28 08:00"),  // Christmas (Friday) and the weekend
        ])
    func businessDays(filed: String, amount: Int, due: String) {
        #expect(Commitment(amount: amount, unit: .businessDays).dueDate(from: Self.paris(filed)) == Self.paris(due))
    }

    @Test("filed on a weekend or a holiday, the count starts the next business morning")
    func filedOnADayOff() {
        #expect(Commitment(amount: 1, unit: .businessDays).dueDate(from: Self.paris("2026-11-21 15:00")) == Self.paris("2026-11-24 00:00"))
        #expect(Commitment(amount: 5, unit: .businessDays).dueDate(from: Self.paris("2026-04-06 11:00")) == Self.paris("2026-04-14 00:00"))
    }
}
