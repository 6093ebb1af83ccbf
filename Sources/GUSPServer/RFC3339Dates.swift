import Foundation
import OpenAPIRuntime

/// Times as API.md writes them: answers in whole seconds with an offset (`2026-03-04T08:15:00Z`);
/// requests may also carry fractional seconds (`…08:15:00.250+01:00`), as many clients send.
struct RFC3339Dates: DateTranscoder {
    private let plain = ISO8601DateTranscoder()
    private let fractional = ISO8601DateTranscoder(options: [.withInternetDateTime, .withFractionalSeconds])

    func encode(_ date: Date) throws -> String {
        try plain.encode(date)
    }

    func decode(_ text: String) throws -> Date {
        if let date = try? plain.decode(text) { return date }
        return try fractional.decode(text)
    }
}
