import Foundation

/// The light syntax check gusp applies to email addresses (delivery is the real test).
public enum EmailAddress {
    public static let maximumLength = 254

    /// Besides the syntax, what would let two accounts look alike: invisible characters (zero-width
    /// spaces and joiners, soft hyphens…), control characters, and a part that mixes alphabets (a
    /// Cyrillic `а` among Latin letters). Full-width and other compatibility forms are folded by
    /// `normalized` (NFKC), so `ｎａｄｉａ@example.org` is `nadia@example.org`.
    public static func problem(with value: String) -> String? {
        if value.unicodeScalars.count > maximumLength { return "must be at most \(maximumLength) characters" }
        if value.unicodeScalars.contains(where: { [.format, .control, .lineSeparator, .paragraphSeparator].contains($0.properties.generalCategory) })
        {
            return "must not contain invisible or control characters"
        }
        let folded = normalized(value).unicodeScalars
        if folded.contains(where: {
            $0.properties.isDefaultIgnorableCodePoint || $0.properties.generalCategory == .nonspacingMark
                || $0.properties.generalCategory == .enclosingMark || ($0.properties.numericType != nil && !$0.isASCII)
        }) {
            return "must not contain invisible characters, combining marks or digits other than 0–9"
        }
        if folded.contains(where: { $0.properties.isAlphabetic && !$0.isASCII && alphabet(of: $0) == nil }) {
            return "must be written in Latin, Greek or Cyrillic letters"
        }
        let parts = normalized(value).split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !value.contains(where: { $0.isWhitespace || $0.isNewline })
        else { return "is not an email address" }
        let labels = [parts[0]] + parts[1].split(separator: ".")
        if labels.contains(where: { alphabets(of: $0).count > 1 }) {
            return "mixes alphabets within a part (a letter of another alphabet that looks like a Latin one?)"
        }
        return nil
    }

    /// The form used for uniqueness and login: trimmed, Unicode compatibility-composed (NFKC) and lowercased.
    public static func normalized(_ value: String) -> String {
        value.trimmingWhitespace.precomposedStringWithCompatibilityMapping.lowercased()
    }

    /// The alphabets of a part's letters, among the three whose letters look alike.
    static func alphabets(of part: Substring) -> Set<String> {
        Set(part.unicodeScalars.filter(\.properties.isAlphabetic).compactMap(alphabet(of:)))
    }

    /// Latin (ASCII, Latin-1, Extended-A and -B, Extended Additional), Greek or Cyrillic; nil for any other.
    static func alphabet(of scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x0041...0x024F, 0x1E00...0x1EFF: "latin"
        case 0x0370...0x03FF, 0x1F00...0x1FFF: "greek"
        case 0x0400...0x052F: "cyrillic"
        default: nil
        }
    }
}

/// Phone numbers as people write them: digits, spaces, and + ( ) . -
public enum PhoneNumber {
    public static func problem(with value: String) -> String? {
        let allowed = Set("0123456789 +().-")
        let digits = value.filter(\.isNumber).count
        guard value.count <= 32, value.allSatisfy({ allowed.contains($0) }), (4...20).contains(digits) else {
            return "must be a phone number (digits, spaces and + ( ) . -)"
        }
        return nil
    }
}
