import GUSPAPI
import GUSPCore

extension APIHandler {
    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        .ok(.init(body: .json(.init(status: .ok))))
    }

    func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        guard await migrator.databaseAnswers() else {
            throw Problem(.serviceUnavailable, "not-ready", detail: "the database does not answer")
        }
        // No schema_migrations table yet: nothing is applied.
        let version = (try? await migrator.appliedVersion()) ?? 0
        let latest = migrator.migrations.last?.number ?? 0
        guard version >= latest else {
            throw Problem(
                .serviceUnavailable, "not-ready",
                detail: "migrations are not applied: the database is at \(version), this build needs \(latest) (run gusp migrate)")
        }
        if let problem = await store.database.probeWrites() {
            throw Problem(.serviceUnavailable, "not-ready", detail: "the database cannot write: \(problem)")
        }
        let engine: Components.Schemas.Health.EnginePayload = store.database.engine == .sqlite ? .sqlite : .postgres
        return .ok(.init(body: .json(.init(status: .ok, schemaVersion: version, engine: engine))))
    }
}
