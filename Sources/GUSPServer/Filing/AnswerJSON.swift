import Foundation
import GUSPCore

/// JSON written straight into bytes, the way the runtime's `JSONEncoder` writes it (keys in the order
/// given, `/` escaped, doubles in their shortest form without a trailing `.0`, times by `RFC3339Dates`):
/// for the answers of the hottest route, where `Codable`'s containers cost a tenth of the server's time.
struct AnswerJSON {
    private(set) var bytes: [UInt8] = []
    /// Whether the object or array being written already has a member (a comma comes before the next).
    private var hasMember: [Bool] = []

    init(capacity: Int = 1_024) {
        bytes.reserveCapacity(capacity)
    }

    mutating func object(_ body: (inout AnswerJSON) -> Void) {
        open(UInt8(ascii: "{"))
        body(&self)
        close(UInt8(ascii: "}"))
    }

    mutating func array<Element>(_ elements: [Element], _ write: (inout AnswerJSON, Element) -> Void) {
        open(UInt8(ascii: "["))
        for element in elements {
            separate()
            write(&self, element)
        }
        close(UInt8(ascii: "]"))
    }

    /// A member of the object being written: its key, then whatever `value` writes.
    mutating func member(_ key: StaticString, _ value: (inout AnswerJSON) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        value(&self)
    }

    mutating func member(_ key: StaticString, _ value: String) { member(key) { $0.string(value) } }
    mutating func member(_ key: StaticString, _ value: Int) { member(key) { $0.integer(value) } }
    mutating func member(_ key: StaticString, _ value: Bool) { member(key) { $0.raw(value ? "true" : "false") } }
    mutating func member(_ key: StaticString, _ value: Double) { member(key) { $0.number(value) } }
    mutating func member(_ key: StaticString, _ value: Date) { member(key) { $0.date(value) } }

    /// Optional members are left out when absent (as `encodeIfPresent` does).
    mutating func member(_ key: StaticString, _ value: String?) { if let value { member(key, value) } }
    mutating func member(_ key: StaticString, _ value: Date?) { if let value { member(key, value) } }
    mutating func member(_ key: StaticString, _ value: Bool?) { if let value { member(key, value) } }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings (ids, codes, plain descriptions) need no escape: copied whole.
        guard value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "/") }) else {
            bytes.append(contentsOf: value.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "/"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "/")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                    hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
                ])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Set when a value had no JSON form (a double not finite): the answer must not be sent.
    private(set) var failed = false

    /// A finite double in its shortest form, `44.0` written `44` (`JSONEncoder` refuses the others).
    mutating func number(_ value: Double) {
        guard value.isFinite else {
            failed = true
            return raw("null")
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        raw(text)
    }

    /// An integer's decimal digits, written in place.
    mutating func integer(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        digits(value.magnitude, width: 1)
    }

    /// A time as `RFC3339Dates.utcString` writes it (`2026-03-04T08:15:00Z`), without the strings.
    mutating func date(_ value: Date) {
        let seconds = Int64((value.timeIntervalSince1970).rounded(.down))
        let days = CivilDate.floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilDate.civil(fromDays: days)
        guard (0...9_999).contains(year) else { return string(RFC3339Dates.utcString(value)) }
        bytes.append(UInt8(ascii: "\""))
        digits(UInt(year), width: 4)
        bytes.append(UInt8(ascii: "-"))
        digits(UInt(month), width: 2)
        bytes.append(UInt8(ascii: "-"))
        digits(UInt(day), width: 2)
        bytes.append(UInt8(ascii: "T"))
        digits(UInt(secondOfDay / 3_600), width: 2)
        bytes.append(UInt8(ascii: ":"))
        digits(UInt(secondOfDay / 60 % 60), width: 2)
        bytes.append(UInt8(ascii: ":"))
        digits(UInt(secondOfDay % 60), width: 2)
        bytes.append(UInt8(ascii: "Z"))
        bytes.append(UInt8(ascii: "\""))
    }

    /// `value` in decimal, zero-padded to at least `width` digits.
    private mutating func digits(_ value: UInt, width: Int) {
        let start = bytes.count
        var rest = value
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0 || bytes.count - start < width
        var low = start, high = bytes.count - 1
        while low < high {
            bytes.swapAt(low, high)
            low += 1
            high -= 1
        }
    }

    private mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        hasMember.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        hasMember.removeLast()
        bytes.append(bracket)
    }

    private mutating func separate() {
        if hasMember.last == true { bytes.append(UInt8(ascii: ",")) }
        if !hasMember.isEmpty { hasMember[hasMember.count - 1] = true }
    }
}
