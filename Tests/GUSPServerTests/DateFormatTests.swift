import Foundation
import Testing

@testable import GUSPServer

@Suite("Times in answers")
struct DateFormatTests {
    @Test("the arithmetic RFC 3339 writer agrees with Foundation's formatter, seconds rounded down")
    func agreesWithFoundation() throws {
        let formatter = ISO8601DateFormatter()
        var generator = SystemRandomNumberGenerator()
        let samples =
            [0, -1, 951_782_400, 4_107_542_399, -2_208_988_800, 1_790_064_000.999]
            + (0..<2_000).map { _ in Double(Int64.random(in: -2_208_988_800...4_102_444_800, using: &generator)) + 0.5 }
        for seconds in samples {
            let date = Date(timeIntervalSince1970: seconds)
            let expected = formatter.string(from: Date(timeIntervalSince1970: seconds.rounded(.down)))
            #expect(RFC3339Dates.utcString(date) == expected, "\(seconds)")
        }
    }
}
