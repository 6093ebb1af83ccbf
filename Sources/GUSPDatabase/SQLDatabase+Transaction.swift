import SQLKit

extension SQLDatabase {
    /// Runs `body` between `begin` and COMMIT on this (single-connection) database; ROLLBACK when it throws.
    package func inTransaction<Result: Sendable>(
        begin: String = "BEGIN",
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await raw(SQLQueryString(begin)).run()
        do {
            let result = try await body(self)
            try await raw("COMMIT").run()
            return result
        } catch {
            // Not in this task: a cancelled task may not run the ROLLBACK, and the connection would stay
            // inside the transaction for the next command.
            let database = self
            await Task { try? await database.raw("ROLLBACK").run() }.value
            throw error
        }
    }
}
