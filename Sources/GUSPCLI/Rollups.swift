import ArgumentParser
import Foundation
import GUSPCore

/// `gusp rollups`: checks the indicator rollups against the signalements, or computes them again.
struct Rollups: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the indicator rollups against the signalements and escalations (exit 1 when they differ), or --rebuild them.",
        discussion: "Writers wait while it reads (SQLite's single writer; a share lock on PostgreSQL).")

    @Flag(help: "Compute the rollups again instead of checking them.") var rebuild = false

    func run() async throws {
        let runtime = try await Runtime.start()
        do {
            if rebuild {
                try await runtime.store.rebuildIndicatorRollups()
                say("indicator rollups rebuilt")
            } else {
                let differences = try await runtime.store.indicatorRollupDifferences()
                for cell in differences.prefix(50) { say("differs: \(cell)") }
                say(
                    differences.isEmpty
                        ? "indicator rollups match the signalements" : "\(differences.count) rollup rows differ (gusp rollups --rebuild)")
                if !differences.isEmpty {
                    await runtime.shutdown()
                    throw ExitCode(1)
                }
            }
        } catch {
            await runtime.shutdown()
            throw error
        }
        await runtime.shutdown()
    }
}
