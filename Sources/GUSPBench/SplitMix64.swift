import Foundation
import SQLKit

/// A small, fast, seedable generator (SplitMix64): the same seed gives the same history.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// An index below `count`, the first ones far likelier (as a few categories, places and quartiers
    /// take most signalements).
    mutating func skewed(_ count: Int) -> Int { min(count - 1, Int(pow(unit(), 2.2) * Double(count))) }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Double { (-2 * log(max(unit(), 1e-12))).squareRoot() * cos(2 * .pi * unit()) }
}
