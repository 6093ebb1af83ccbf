import Foundation

/// The light syntax check gusp applies to email addresses (delivery is the real test).
public enum EmailAddress {
    public static let maximumLength = 254

    public static func problem(with value: String) -> String? {
        if value.count > maximumLength { return "must be at most \(maximumLength) characters" }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !value.contains(where: { $0.isWhitespace || $0.isNewline })
        else { return "is not an email address" }
        return nil
    }

    /// The form used for uniqueness and login: trimmed, Unicode-composed (NFC) and lowercased.
    public static func normalized(_ value: String) -> String {
        value.trimmingWhitespace.precomposedStringWithCanonicalMapping.lowercased()
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
