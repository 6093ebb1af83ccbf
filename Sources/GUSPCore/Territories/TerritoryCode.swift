/// The kind of a territory: a priority district, a commune, or a local sector.
public enum TerritoryKind: String, Sendable, Codable, CaseIterable {
    /// A quartier prioritaire de la politique de la ville (QPV).
    case qpv
    /// A commune, identified by its INSEE code.
    case commune
    /// A local subdivision chosen by the GUSP (a block, a sector of a district).
    case sector
}

/// Syntax rules for territory codes. Codes are opaque: they are checked, never rewritten.
public enum TerritoryCode: Sendable {
    /// `nil` when `code` is well formed for `kind`, otherwise one English sentence saying the expected format.
    ///
    /// - `qpv`: 2024 generation `QN` + 6 uppercase letters or digits (`QN02607M`),
    ///   or 2015 generation `QP` + 6 digits (`QP035002`); uppercase only.
    /// - `commune`: INSEE code, 5 digits (`26362`) or, in Corsica, `2A`/`2B` + 3 digits (`2A004`).
    /// - `sector`: 1 to 64 characters among ASCII letters, digits, `_` and `-`.
    public static func problem(code: String, kind: TerritoryKind) -> String? {
        switch kind {
        case .qpv: qpvProblem(code)
        case .commune: communeProblem(code)
        case .sector: sectorProblem(code)
        }
    }

    private static func qpvProblem(_ code: String) -> String? {
        if isQPV(code) { return nil }
        let upper = code.uppercased()
        if upper != code, isQPV(upper) {
            return "A QPV code must be written in uppercase, as \"\(upper)\"."
        }
        return "A QPV code must be \"QN\" followed by 6 uppercase letters or digits (2024 generation, e.g. QN02607M) "
            + "or \"QP\" followed by 6 digits (2015 generation, e.g. QP035002)."
    }

    private static func communeProblem(_ code: String) -> String? {
        if isCommune(code) { return nil }
        let upper = code.uppercased()
        if upper != code, isCommune(upper) {
            return "A commune code must be written in uppercase, as \"\(upper)\"."
        }
        return "A commune code must be its INSEE code: 5 digits (e.g. 26362) "
            + "or, in Corsica, 2A or 2B followed by 3 digits (e.g. 2A004)."
    }

    private static func sectorProblem(_ code: String) -> String? {
        let bytes = Array(code.utf8)
        if (1...64).contains(bytes.count), bytes.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }) {
            return nil
        }
        return "A sector code must be 1 to 64 characters among ASCII letters, digits, \"_\" and \"-\"."
    }

    private static func isQPV(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard bytes.count == 8, bytes[0] == UInt8(ascii: "Q") else { return false }
        let rest = bytes[2...]
        switch bytes[1] {
        case UInt8(ascii: "N"): return rest.allSatisfy { isDigit($0) || isUppercaseLetter($0) }
        case UInt8(ascii: "P"): return rest.allSatisfy(isDigit)
        default: return false
        }
    }

    private static func isCommune(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard bytes.count == 5 else { return false }
        if bytes.allSatisfy(isDigit) { return true }
        let corsica = bytes[0] == UInt8(ascii: "2") && (bytes[1] == UInt8(ascii: "A") || bytes[1] == UInt8(ascii: "B"))
        return corsica && bytes[2...].allSatisfy(isDigit)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isUppercaseLetter(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || isUppercaseLetter(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
    }
}
