import Foundation
import Synchronization

/// What this process measures of its own work, for `/metrics`: each background worker's steps, the
/// group commit's batches and the time its commands wait. Counters
/// only grow; a scrape reads a snapshot. Process-wide, as the work it counts is.
public final class RuntimeStatistics: Sendable {
    public static let shared = RuntimeStatistics()

    /// Upper bounds of the histogram buckets (the last bucket, `+Inf`, is implied).
    public static let batchSizeBounds: [Double] = [1, 2, 4, 8, 16, 32, 64, 128]
    public static let waitBounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]
    public static let stepBounds: [Double] = [0.01, 0.05, 0.1, 0.5, 1, 5, 30]

    public struct Histogram: Sendable {
        public let bounds: [Double]
        public private(set) var counts: [Int]
        public private(set) var sum = 0.0
        public private(set) var count = 0

        init(bounds: [Double]) {
            self.bounds = bounds
            self.counts = Array(repeating: 0, count: bounds.count)
        }

        mutating func observe(_ value: Double) {
            for (index, bound) in bounds.enumerated() where value <= bound { counts[index] += 1 }
            sum += value
            count += 1
        }
    }

    public struct Worker: Sendable {
        public var succeeded = 0
        public var failed = 0
        public var steps = Histogram(bounds: RuntimeStatistics.stepBounds)
        /// Seconds since 1970 of the last step that did not fail.
        public var lastSuccess: Double?
    }

    public struct Snapshot: Sendable {
        public var workers: [String: Worker] = [:]
        public var batchSizes = Histogram(bounds: RuntimeStatistics.batchSizeBounds)
        public var waits = Histogram(bounds: RuntimeStatistics.waitBounds)
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public func recordWorkerStep(_ name: String, seconds: Double, succeeded: Bool, at date: Date = Date()) {
        state.withLock { snapshot in
            var worker = snapshot.workers[name] ?? Worker()
            if succeeded {
                worker.succeeded += 1
                worker.lastSuccess = date.timeIntervalSince1970
            } else {
                worker.failed += 1
            }
            worker.steps.observe(seconds)
            snapshot.workers[name] = worker
        }
    }

    /// A batch the group commit wrote: its size and how long each of its commands waited for it.
    public func recordBatch(waits: [Double]) {
        state.withLock { snapshot in
            snapshot.batchSizes.observe(Double(waits.count))
            for wait in waits { snapshot.waits.observe(wait) }
        }
    }

    public func snapshot() -> Snapshot { state.withLock { $0 } }
}
