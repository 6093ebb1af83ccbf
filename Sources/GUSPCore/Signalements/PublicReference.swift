import Foundation
import GUSPDatabase
import SQLKit
import Synchronization

/// The reference a resident quotes on the phone: `VAL-26-00042`, the deployment's prefix, the year of
/// filing (Paris time) and a number counted per year. Numbers come from `reference_counters` in blocks
/// (`ReferenceNumbers`): unique, increasing within one process, with gaps where a process stopped
/// before using its block.
public enum PublicReference {
    /// A prefix is 2 to 8 capital letters or digits, starting with a letter.
    public static func isValidPrefix(_ prefix: String) -> Bool {
        (2...8).contains(prefix.count) && prefix.first.map { $0.isASCII && $0.isLetter } == true
            && prefix.allSatisfy { ($0.isASCII && $0.isUppercase) || ($0.isASCII && $0.isNumber) }
    }

    static func format(prefix: String, year: Int, number: Int) -> String {
        prefix + "-" + padded(year % 100, 2) + "-" + padded(number, 5)
    }

    /// The stored form of what someone typed: trimmed, in capitals, without inner spaces; nil when it
    /// cannot be a reference (so that no lookup is made).
    public static func normalized(_ typed: String) -> String? {
        let compact = typed.uppercased().filter { !$0.isWhitespace }
        guard (6...40).contains(compact.count), compact.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            return nil
        }
        return compact
    }

    static func year(ofMilliseconds time: Int64) -> Int {
        ParisPeriods.calendar.component(.year, from: Date(storedMilliseconds: time))
    }

    private static func padded(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Hands out reference numbers from blocks reserved in `reference_counters` (one small write per block
/// rather than per filing, which keeps the filing's group commit as it was).
final class ReferenceNumbers: Sendable {
    static let block = 50
    /// Reserved and not yet used, per year, lowest first.
    private let pool = Mutex<[Int: [ClosedRange<Int>]]>([:])

    func next(year: Int, _ database: any Database) async throws -> Int {
        if let number = take(year) { return number }
        // Its own small transaction, never the request's command (which carries the idempotency record).
        let reserved = try await CommandRecord.$current.withValue(nil) {
            try await database.write { db in
                let row = try await db.raw(
                    """
                    INSERT INTO reference_counters (year, last) VALUES (\(bind: year), \(bind: Self.block))
                    ON CONFLICT (year) DO UPDATE SET last = reference_counters.last + \(bind: Self.block) RETURNING last
                    """
                ).first()
                return try row?.decode(column: "last", as: Int.self) ?? Self.block
            }
        }
        // Several filings may have reserved at once: each keeps the first number of its block, the rest joins the pool.
        let first = reserved - Self.block + 1
        pool.withLock { pool in
            pool[year, default: []].append((first + 1)...reserved)
            pool[year]!.sort { $0.lowerBound < $1.lowerBound }
        }
        return first
    }

    private func take(_ year: Int) -> Int? {
        pool.withLock { pool in
            guard var ranges = pool[year], let range = ranges.first else { return nil }
            if range.count > 1 { ranges[0] = (range.lowerBound + 1)...range.upperBound } else { ranges.removeFirst() }
            pool[year] = ranges.isEmpty ? nil : ranges
            return range.lowerBound
        }
    }
}
