import Foundation
import Synchronization

/// Opaque ids: a kind prefix and a ULID (48-bit milliseconds, 80 random bits, Crockford base 32).
/// Monotonic within a process: ids made in the same millisecond still sort in creation order.
public enum Identifier {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    private static let last = Mutex<(milliseconds: UInt64, high: UInt16, low: UInt64)>((0, 0, 0))

    /// A new id such as `par_01JD3Q7Z0C8W5R7M9X2B4N6P8T`.
    public static func make(_ prefix: String, at date: Date = Date()) -> String {
        let requested = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        let (milliseconds, high, low) = last.withLock { state in
            if requested > state.milliseconds {
                var generator = SystemRandomNumberGenerator()
                state = (requested, UInt16.random(in: .min ... .max, using: &generator), generator.next())
            } else {
                // Same millisecond (or the clock went back): the next value after the previous id.
                let (sum, overflow) = state.low.addingReportingOverflow(1)
                state.low = sum
                if overflow { state.high &+= 1 }
            }
            return state
        }
        var characters: [UInt8] = []
        characters.reserveCapacity(26)
        for shift in stride(from: 45, through: 0, by: -5) {
            characters.append(alphabet[Int((milliseconds >> UInt64(shift)) & 0x1F)])
        }
        // 80 random bits = 16 characters, taken five bits at a time from the low end.
        var random: [UInt8] = []
        var (restHigh, restLow) = (high, low)
        for _ in 0..<16 {
            random.append(alphabet[Int(restLow & 0x1F)])
            restLow = (restLow >> 5) | (UInt64(restHigh & 0x1F) << 59)
            restHigh >>= 5
        }
        characters.append(contentsOf: random.reversed())
        return prefix + "_" + String(decoding: characters, as: UTF8.self)
    }
}
