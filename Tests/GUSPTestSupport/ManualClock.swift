import Foundation
import GUSPCore
import Synchronization

/// A clock the test moves by hand (it starts on Tuesday 2026-09-22 10:00 in Paris, a business day).
public final class ManualClock: WallClock, Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_790_064_000)) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }
    public func advance(_ seconds: TimeInterval) { current.withLock { $0 += seconds } }
}
