import ArgumentParser
import GUSPServer

@main
struct Gusp: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gusp",
        abstract: "gusp: the GUSP partnership's signalements, partners, conventions and indicators over HTTP/JSON.",
        discussion: """
            Environment variables (each has a default that serves out of the box):
            \(ServerSettings.descriptions.map { "  \($0.variable)  (default: \($0.defaultValue))\n      \($0.meaning)" }.joined(separator: "\n"))
            """,
        version: GUSPVersion.current,
        subcommands: [
            Serve.self, Worker.self, Migrate.self, Demo.self, Rollups.self, Token.self, PermissionsTable.self, WorkflowTable.self, BenchSweep.self,
            BenchIndicators.self,
        ],
        defaultSubcommand: nil)
}
