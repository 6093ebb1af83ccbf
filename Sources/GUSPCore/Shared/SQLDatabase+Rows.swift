import GUSPDatabase
import SQLKit

extension SQLDatabase {
    /// Deletes one row by id; a row still referenced elsewhere is a conflict with `message`.
    func deleteRow(from table: String, id: String, whenReferenced message: String) async throws {
        do {
            try await delete(from: table).where("id", .equal, id).run()
        } catch  where DatabaseFailure.isForeignKeyViolation(error) {
            throw DomainError.conflict(message)
        }
    }

    /// Runs an insert; a duplicate of a unique value is a conflict with `message`.
    func insertUnique(_ insert: SQLInsertBuilder, whenDuplicate message: String) async throws {
        do {
            try await insert.run()
        } catch  where DatabaseFailure.isUniqueViolation(error) {
            throw DomainError.conflict(message)
        }
    }
}
