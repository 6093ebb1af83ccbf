import Foundation
import Hummingbird

/// The parameters of an Open311 call: the query string, and for a POST the body on top, form-encoded
/// or `multipart/form-data` (some clients put `api_key` or `jurisdiction_id` in one, the rest in the
/// other). A multipart body's files are kept apart (`media`).
struct Open311Parameters {
    private var values: [String: [String]] = [:]
    private(set) var files: [String: Open311Multipart.Part] = [:]

    init(query: String?, form: [UInt8] = [], contentType: String? = nil) throws(Open311Error) {
        Self.parse(query ?? "", into: &values)
        if let boundary = Open311Multipart.boundary(of: contentType) {
            guard let parts = Open311Multipart.parts(of: form, boundary: boundary) else {
                throw Open311Error(
                    400, "le corps multipart/form-data ne suit pas sa frontière (boundary)",
                    en: "the multipart/form-data body does not follow its boundary")
            }
            for part in parts {
                if part.filename != nil {
                    files[part.name] = part
                } else {
                    values[part.name, default: []].append(String(decoding: part.bytes, as: UTF8.self))
                }
            }
        } else {
            Self.parse(String(decoding: form, as: UTF8.self), into: &values)
        }
    }

    /// A POST's: its query, and its body as the body middleware read it.
    init(_ request: Request) throws(Open311Error) {
        try self.init(query: request.uri.query, form: RequestState.current.body, contentType: request.headers[.contentType])
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

/// W3C date-times (`2010-01-01T00:00:00Z`, `…+01:00`, with or without seconds, with or without
/// fractions) in, seconds with `Z` out.
enum Open311Dates {
    static func parse(_ text: String) -> Date? {
        // A `+` of an offset left unencoded arrives as a space; a bare date means its midnight (UTC).
        var text = text.replacingOccurrences(of: " ", with: "+")
        if text.count == 10, text.split(separator: "-").count == 3 { text += "T00:00:00Z" }
        // W3C's profile of ISO 8601 lets the seconds go: `2026-05-01T08:30Z`, `2026-05-01T08:30+02:00`.
        let scalars = Array(text.unicodeScalars)
        if scalars.count >= 17, scalars[10] == "T", scalars[13] == ":", scalars[16] != ":", scalars[16] != "." {
            text = String(String.UnicodeScalarView(scalars[0..<16])) + ":00" + String(String.UnicodeScalarView(scalars[16...]))
        }
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
