/// The SIREN number that identifies a French company or public body (INSEE's Sirene register).
public enum SIREN: Sendable {
    /// Whether `value` is exactly 9 ASCII digits whose Luhn checksum is valid.
    ///
    /// No white space is accepted: trim and remove spaces ("732 829 320") before calling.
    /// A 14-digit SIRET (SIREN + establishment number) is not a SIREN.
    public static func isValid(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count == 9 else { return false }
        var sum = 0
        for (offset, byte) in bytes.reversed().enumerated() {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return false }
            var digit = Int(byte - UInt8(ascii: "0"))
            if offset % 2 == 1 {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
        }
        return sum % 10 == 0
    }
}
