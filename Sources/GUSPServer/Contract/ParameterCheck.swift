import Foundation
import Synchronization

/// Whether a parameter's text (path, query or header) is what its schema allows; the message names
/// what would be, in the words a client developer reads.
enum ParameterCheck {
    static func problem(with text: String, schema: SpecNode, rules: ContractRules) -> String? {
        let schema = rules.resolve(schema)
        switch schema["type"]?.string {
        case "integer":
            guard let value = Int64(text) else { return "must be a whole number\(range(schema))" }
            if let minimum = schema["minimum"]?.number, Double(value) < minimum { return "must be a whole number\(range(schema))" }
            if let maximum = schema["maximum"]?.number, Double(value) > maximum { return "must be a whole number\(range(schema))" }
        case "number":
            guard let value = Double(text), value.isFinite else { return "must be a number" }
            if let minimum = schema["minimum"]?.number, value < minimum { return "must be at least \(format(minimum))" }
            if let maximum = schema["maximum"]?.number, value > maximum { return "must be at most \(format(maximum))" }
        case "boolean":
            guard text == "true" || text == "false" else { return "must be true or false" }
        default:
            return stringProblem(text, schema)
        }
        return nil
    }

    private static func stringProblem(_ text: String, _ schema: SpecNode) -> String? {
        if let allowed = schema["enum"]?.array?.compactMap(\.string), !allowed.contains(text) {
            return "must be one of \(allowed.joined(separator: ", "))"
        }
        switch schema["format"]?.string {
        case "date-time":
            if (try? RFC3339Dates().decode(text)) == nil { return "must be a date and time (RFC 3339), e.g. 2026-05-01T08:00:00Z" }
        case "date":
            if !isDate(text) { return "must be a date (YYYY-MM-DD), e.g. 2026-05-01" }
        default:
            break
        }
        let length = text.count
        if let minimum = schema["minLength"]?.number, Double(length) < minimum {
            return minimum == 1 ? "must not be empty" : "must be at least \(format(minimum)) characters"
        }
        if let maximum = schema["maxLength"]?.number, Double(length) > maximum { return "must be at most \(format(maximum)) characters" }
        if let pattern = schema["pattern"]?.string, !matches(text, pattern) { return "must match \(pattern)" }
        return nil
    }

    static func range(_ schema: SpecNode) -> String {
        switch (schema["minimum"]?.number, schema["maximum"]?.number) {
        case (let minimum?, let maximum?): " from \(format(minimum)) to \(format(maximum))"
        case (let minimum?, nil): " of at least \(format(minimum))"
        case (nil, let maximum?): " of at most \(format(maximum))"
        case (nil, nil): " (64 bits)"
        }
    }

    static func format(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    private static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            parts[0].count == 4, (1...12).contains(month), day >= 1
        else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let first = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
            let days = calendar.range(of: .day, in: .month, for: first)
        else { return false }
        return days.contains(day)
    }

    /// Patterns are compiled once each (a contract has a few dozen).
    private static let compiled = Mutex<[String: NSRegularExpression]>([:])

    static func matches(_ text: String, _ pattern: String) -> Bool {
        let expression = compiled.withLock { cache -> NSRegularExpression? in
            if let known = cache[pattern] { return known }
            let made = try? NSRegularExpression(pattern: pattern)
            cache[pattern] = made
            return made
        }
        guard let expression else { return true }
        return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
