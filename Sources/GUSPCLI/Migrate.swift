import ArgumentParser
import GUSPCore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the database migrations that are not applied yet.")

    func run() async throws {
        let runtime = try await Runtime.start()
        do {
            let applied = try await Migrator(database: runtime.store.database).migrate(logger: runtime.logger)
            say(applied.isEmpty ? "Already up to date." : "Applied migrations \(applied.map(String.init).joined(separator: ", ")).")
        } catch {
            await runtime.shutdown()
            throw error
        }
        await runtime.shutdown()
    }
}

struct WorkflowTable: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflow", abstract: "Print the signalement state machine (who moves it where) as Markdown.")

    func run() async throws {
        say(SignalementWorkflow.markdownTable())
    }
}

struct PermissionsTable: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "permissions", abstract: "Print the permission table (role × operation) as Markdown.")

    func run() async throws {
        say(Permissions.markdownTable())
    }
}
