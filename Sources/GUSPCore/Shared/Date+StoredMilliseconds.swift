import Foundation

/// Timestamps are stored as whole milliseconds since 1970-01-01T00:00:00Z on both engines.
extension Date {
    public var storedMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

    public init(storedMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(storedMilliseconds) / 1000)
    }
}
