import Foundation
import SQLKit

/// RFC 3339 in UTC with milliseconds, by arithmetic (the outbox writes one per filing, on the hot path).
enum RFC3339 {
    static func string(from milliseconds: Int64) -> String {
        let seconds = CivilDate.floorDivide(milliseconds, 1_000)
        let millis = milliseconds - seconds * 1_000
        let days = CivilDate.floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilDate.civil(fromDays: days)
        func padded(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))T\(padded(secondOfDay / 3_600, 2)):"
            + "\(padded(secondOfDay % 3_600 / 60, 2)):\(padded(secondOfDay % 60, 2)).\(padded(millis, 3))Z"
    }
}
