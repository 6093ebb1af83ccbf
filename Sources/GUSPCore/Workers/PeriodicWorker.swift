import GUSPDatabase
import Logging
import ServiceLifecycle

/// A background worker: runs `step` again and again, at once while it reports more work, else after
/// `interval`; stops between steps on graceful shutdown (a step in progress finishes, so its effects
/// and the release of its claims commit together).
public struct PeriodicWorker: Service {
    public let name: String
    public let interval: Duration
    let logger: Logger
    let step: @Sendable () async throws -> Bool
    let finish: @Sendable () async -> Void

    public init(
        name: String, interval: Duration, logger: Logger, step: @escaping @Sendable () async throws -> Bool,
        finish: @escaping @Sendable () async -> Void = {}
    ) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.step = step
        self.finish = finish
    }

    public func run() async throws {
        logger.info("worker started", metadata: ["worker": "\(name)"])
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            var more = false
            let start = ContinuousClock.now
            do {
                more = try await step()
                RuntimeStatistics.shared.recordWorkerStep(name, seconds: Self.seconds(since: start), succeeded: true)
            } catch is CancellationError {
                break
            } catch {
                RuntimeStatistics.shared.recordWorkerStep(name, seconds: Self.seconds(since: start), succeeded: false)
                logger.error("worker step failed", metadata: ["worker": "\(name)", "error": "\(error)"])
            }
            if more { continue }
            // Sleep until the interval passes or a graceful shutdown begins, whichever comes first.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        await finish()
        logger.info("worker stopped", metadata: ["worker": "\(name)"])
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
