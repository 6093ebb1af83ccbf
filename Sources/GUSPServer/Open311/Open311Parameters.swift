import Foundation

/// The parameters of an Open311 call: the query string, and for a POST the form-encoded body on top
/// (some clients put `api_key` or `jurisdiction_id` in one, the rest in the other).
struct Open311Parameters {
    private var values: [String: [String]] = [:]

    init(query: String?, form: [UInt8] = []) {
        Self.parse(query ?? "", into: &values)
        Self.parse(String(decoding: form, as: UTF8.self), into: &values)
    }

    /// The last non-empty value (an empty parameter counts as absent, as the specification says).
    subscript(_ name: String) -> String? {
        values[name]?.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?.trimmingCharacters(in: .whitespaces)
    }

    /// Every value, whether repeated (`a=1&a=2`) or comma-separated (`a=1,2`).
    func list(_ name: String) -> [String] {
        (values[name] ?? []).flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static func parse(_ text: String, into values: inout [String: [String]]) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            guard !name.isEmpty else { continue }
            values[name, default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    private static func decode(_ text: Substring) -> String {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
    }
}

/// W3C date-times (`2010-01-01T00:00:00Z`, `…+01:00`, with or without fractions) in, seconds with `Z` out.
enum Open311Dates {
    static func parse(_ text: String) -> Date? {
        // A `+` of an offset left unencoded arrives as a space; a bare date means its midnight (UTC).
        var text = text.replacingOccurrences(of: " ", with: "+")
        if text.count == 10, text.split(separator: "-").count == 3 { text += "T00:00:00Z" }
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    static func format(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    static func format(milliseconds: Int64?) -> String? {
        milliseconds.map { format(Date(storedMilliseconds: $0)) }
    }
}
