import ArgumentParser
import GUSPServer

@main
struct Gusp: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gusp",
        abstract: "gusp: the GUSP partnership's signalements, partners, conventions and indicators over HTTP/JSON.",
        discussion: """
            Environment variables (each has a default that serves out of the box):
            \(ServerSettings.descriptions.map { "  \($0.variable.padding(toLength: 28, withPad: " ", startingAt: 0)) \($0.meaning)\n  \(String(repeating: " ", count: 28)) default: \($0.defaultValue)" }.joined(separator: "\n"))
            """,
        subcommands: [Serve.self, Migrate.self, Token.self, PermissionsTable.self],
        defaultSubcommand: nil)
}
