import ArgumentParser
import Foundation
import GUSPBench
import GUSPCore
import GUSPDatabase
import Logging

/// `scripts/bench` runs this for the raw SQL column of its indicator rows.
struct BenchIndicators: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-indicators",
        abstract: "Benchmark helper: times the raw SQL computing the dashboard's and a monthly series' numbers on a SQLite database, "
            + "and checks them against the API's path.",
        shouldDisplay: false)

    @Option(help: "SQLite file (seeded by gusp demo --signalements N).") var database: String
    @Option(help: "Territory id of the dashboard and the series.") var territory: String
    @Option(help: "Dashboard: first day.") var from: String
    @Option(help: "Dashboard: last day.") var to: String
    @Option(help: "Series: first day.") var seriesFrom: String
    @Option(help: "Series: last day.") var seriesTo: String

    func run() async throws {
        var logger = Logger(label: "gusp-bench")
        logger.logLevel = .warning
        let engine = try await SQLiteEngine.open(path: database, readers: 2, logger: logger)
        let timing = try await IndicatorBench.run(
            engine, territoryId: territory, from: from, to: to,
            seriesFrom: seriesFrom, seriesTo: seriesTo)
        print(
            String(
                format: "dashboard_raw_ms=%.1f series_raw_ms=%.1f same=%@", timing.dashboardMilliseconds, timing.seriesMilliseconds,
                timing.same ? "yes" : "no"))
        for mismatch in timing.mismatches { print("mismatch: \(mismatch)") }
        await engine.shutdown()
    }
}
