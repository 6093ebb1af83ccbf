import Foundation

/// Opaque ids: a kind prefix and a ULID (time-ordered, 128 bits, Crockford base 32).
public enum Identifier {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// A new id such as `par_01JD3Q7Z0C8W5R7M9X2B4N6P8T`.
    public static func make(_ prefix: String, at date: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var text = ""
        text.reserveCapacity(prefix.count + 27)
        text += prefix
        text += "_"
        for index in stride(from: 45, through: 0, by: -5) {
            text.append(alphabet[Int((milliseconds >> UInt64(index)) & 0x1F)])
        }
        for _ in 0..<16 {
            text.append(alphabet[Int(generator.next(upperBound: UInt8(32)))])
        }
        return text
    }
}
