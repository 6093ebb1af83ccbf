import ArgumentParser
import Foundation
import GUSPBench
import GUSPCore
import GUSPDatabase
import Logging

/// `scripts/bench` runs this for the escalation rows of its table.
struct BenchSweep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-sweep",
        abstract: "Benchmark helper: a fresh SQLite database with --open signalements, --due of them due, and the time of one escalation sweep.",
        shouldDisplay: false)

    @Option(help: "Open signalements.") var open = 1_000_000
    @Option(help: "Of which due to escalate.") var due = 1_000
    @Option(help: "SQLite file to create (must not exist).") var database: String

    func run() async throws {
        guard !FileManager.default.fileExists(atPath: database) else { throw ValidationError("\(database) exists") }
        var logger = Logger(label: "gusp-bench")
        logger.logLevel = .warning
        let engine = try await SQLiteEngine.open(path: database, readers: 2, logger: logger)
        try await Migrator(database: engine).migrate(logger: logger)
        let store = Store(database: engine)
        let seeded = ContinuousClock.now
        try await EscalationBench.seed(store, open: open, due: due)
        let seeding = ContinuousClock.now - seeded
        let timing = try await EscalationBench.timeSweeps(store, due: due)
        print(
            String(
                format: "open=%d due=%d escalated=%d sweep_median_ms=%.1f sweep_max_ms=%.1f seed_s=%.0f", open, due, timing.escalated,
                timing.median, timing.slowest, Double(seeding.components.seconds)))
        await engine.shutdown()
    }
}
