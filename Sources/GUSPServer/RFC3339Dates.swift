import Foundation
import GUSPCore
import OpenAPIRuntime

/// Times as docs/api-conventions.md writes them: answers in whole seconds with an offset (`2026-03-04T08:15:00Z`);
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
        let days = CivilDate.floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilDate.civil(fromDays: days)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = year >= 1000 ? "\(year)" : String(repeating: "0", count: max(0, 4 - "\(year)".count)) + "\(year)"
        return "\(yearText)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600))"
            + ":\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
    }
}
