import Foundation
import OpenAPIRuntime

/// Times as API.md writes them: answers in whole seconds with an offset (`2026-03-04T08:15:00Z`);
/// requests may also carry fractional seconds (`…08:15:00.250+01:00`), as many clients send.
/// Answers are written by arithmetic rather than a date formatter: a list of 50 signalements carries
/// hundreds of times, and Foundation's formatter is a measurable share of its cost.
struct RFC3339Dates: DateTranscoder {
    private let plain = ISO8601DateTranscoder()
    private let fractional = ISO8601DateTranscoder(options: [.withInternetDateTime, .withFractionalSeconds])

    func encode(_ date: Date) throws -> String {
        Self.utcString(date)
    }

    func decode(_ text: String) throws -> Date {
        if let date = try? plain.decode(text) { return date }
        return try fractional.decode(text)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` in UTC, seconds rounded down (proleptic Gregorian calendar).
    static func utcString(_ date: Date) -> String {
        let seconds = Int64((date.timeIntervalSince1970).rounded(.down))
        var days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Days to civil date (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = year >= 1000 ? "\(year)" : String(repeating: "0", count: max(0, 4 - "\(year)".count)) + "\(year)"
        return "\(yearText)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600))"
            + ":\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
    }
}
