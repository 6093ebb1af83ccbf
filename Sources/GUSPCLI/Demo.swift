import ArgumentParser
import Foundation
import GUSPBench
import GUSPCore

/// `gusp demo`: the demo data, and optionally years of signalements on top (for benchmarks and demos).
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the Valence demo data into an empty database (GUSP_DATABASE_URL), and with --signalements a history of that many.",
        discussion: "Prints one token per role, valid 90 days. The history is deterministic for a given --seed.")

    @Option(help: "Signalements of history to generate (0: none).") var signalements = 0
    @Option(help: "Years the history spans, up to now.") var years = 3
    @Option(help: "Seed of the history's random choices.") var seed: UInt64 = 2026

    func validate() throws {
        guard signalements >= 0, signalements <= 10_000_000 else { throw ValidationError("--signalements must be from 0 to 10,000,000") }
        guard (1...20).contains(years) else { throw ValidationError("--years must be from 1 to 20") }
    }

    func run() async throws {
        let runtime = try await Runtime.start()
        do {
            try await runtime.migrate()
            guard try await DemoData.isEmpty(runtime.store) else { throw ValidationError("the database already holds partners or users") }
            let credentials = try await DemoData.load(into: runtime.store)
            for credential in credentials {
                say("\(credential.role.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(credential.token)  \(credential.name)")
            }
            if signalements > 0 {
                let started = ContinuousClock.now
                let history = try await HistorySeeder.seed(runtime.store, count: signalements, years: years, seed: seed)
                say(
                    "history: \(history.signalements) signalements from \(history.first) to \(history.last), \(history.escalations) escalations, "
                        + "in \((ContinuousClock.now - started).components.seconds) s")
            }
        } catch {
            await runtime.shutdown()
            throw error
        }
        await runtime.shutdown()
    }
}
