/// Residents often type a name, an email or a phone number into a description ("rappelez-moi au 06…").
/// Those who may not see personal data (other residents, elected officials, Open311's anonymous
/// readers) read the description with emails and phone numbers masked.
public enum ContactMask {
    public static let email = "[adresse masquée]"
    public static let phone = "[numéro masqué]"

    /// `text` with every email address and phone number replaced. A phone number is a run of digits,
    /// spaces, dots, dashes, slashes and brackets holding at least 9 digits, or at least 8 after a `+`
    /// (a date such as 12.03.2026 has 8 and stays). Linear in the text.
    public static func masked(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains(where: { $0 == "@" || ("0"..."9").contains($0) }) else { return text }
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if let end = emailEnd(scalars, at: index, output: &output) {
                output.append(contentsOf: email.unicodeScalars)
                index = end
            } else if let run = phoneRun(scalars, at: index) {
                // Each scalar is looked at once: a run that is no phone number is copied whole.
                if run.isPhone {
                    output.append(contentsOf: phone.unicodeScalars)
                } else {
                    output.append(contentsOf: scalars[index..<run.end])
                }
                index = run.end
            } else {
                output.append(scalars[index])
                index += 1
            }
        }
        return String(output)
    }

    private static func isLocal(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._%+-".unicodeScalars.contains(scalar)
    }

    private static func isDomain(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "." || scalar == "-"
    }

    /// At an `@` with a local part before it (already copied to `output`, and removed from it) and a
    /// dotted domain after it: the index past the address.
    private static func emailEnd(_ scalars: [Unicode.Scalar], at index: Int, output: inout String.UnicodeScalarView) -> Int? {
        guard scalars[index] == "@" else { return nil }
        var localLength = 0
        var back = output.endIndex
        while back > output.startIndex, localLength < 64, isLocal(output[output.index(before: back)]) {
            back = output.index(before: back)
            localLength += 1
        }
        var end = index + 1
        while end < scalars.count, isDomain(scalars[end]) { end += 1 }
        while end > index + 1, scalars[end - 1] == "." || scalars[end - 1] == "-" { end -= 1 }
        let domain = scalars[(index + 1)..<end]
        guard localLength > 0, domain.contains("."), domain.first != "." else { return nil }
        output.removeSubrange(back..<output.endIndex)
        return end
    }

    /// At the start of a run of digits and separators: the index past it and whether it is a phone
    /// number (or several: a run of more digits is masked whole); nil when not at such a start.
    private static func phoneRun(_ scalars: [Unicode.Scalar], at index: Int) -> (end: Int, isPhone: Bool)? {
        let start = scalars[index]
        guard start == "+" || ("0"..."9").contains(start) else { return nil }
        // Not in the middle of a word.
        if index > 0, scalars[index - 1].properties.isAlphabetic { return nil }
        var end = index
        var digits = 0
        var lastDigit = index
        while end < scalars.count, ("0"..."9").contains(scalars[end]) || " .-()/+".unicodeScalars.contains(scalars[end]) {
            if ("0"..."9").contains(scalars[end]) {
                digits += 1
                lastDigit = end
            } else if scalars[end] == "+", end != index {
                break
            }
            end += 1
        }
        return (lastDigit + 1, digits >= 9 || (start == "+" && digits >= 8))
    }
}
