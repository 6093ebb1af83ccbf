import SQLKit

extension SQLDatabase {
    /// Runs `body` between `begin` and COMMIT on this (single-connection) database; ROLLBACK when it throws.
    func inTransaction<Result: Sendable>(
        begin: String = "BEGIN",
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await raw(SQLQueryString(begin)).run()
        do {
            let result = try await body(self)
            try await raw("COMMIT").run()
            return result
        } catch {
            try? await raw("ROLLBACK").run()
            throw error
        }
    }
}
