import PostgresNIO
import SQLiteNIO

/// Recognises the constraint failures that both engines report in their own words.
package enum DatabaseFailure {
    package static func isUniqueViolation(_ error: any Error) -> Bool {
        if let error = error as? SQLiteError {
            return error.reason == .constraintUniqueFailed || error.reason == .constraintPrimaryKeyFailed
        }
        if let error = error as? PSQLError { return error.serverInfo?[.sqlState] == "23505" }
        return false
    }

    package static func isForeignKeyViolation(_ error: any Error) -> Bool {
        if let error = error as? SQLiteError { return error.reason == .constraintForeignKeyFailed }
        if let error = error as? PSQLError { return error.serverInfo?[.sqlState] == "23503" }
        return false
    }
}
