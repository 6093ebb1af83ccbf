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

    /// What the operator's log says of a PostgreSQL error: its code, SQLSTATE and message (PSQLError's
    /// own description hides them all), never the query's bound values.
    package static func logDescription(of error: any Error) -> String? {
        guard let error = error as? PSQLError else { return nil }
        let state = error.serverInfo?[.sqlState] ?? "none"
        let message = error.serverInfo?[.message] ?? ""
        return "PSQLError code=\(error.code) sqlstate=\(state) message=\(message)"
    }
}
