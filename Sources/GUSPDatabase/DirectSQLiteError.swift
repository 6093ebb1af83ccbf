import Dispatch
import NIOPosix
import VaporCSQLite

/// SQLite refused a statement of the direct writer (a server fault: its statements are fixed).
package struct DirectSQLiteError: Error, CustomStringConvertible {
    package let code: Int32
    package let message: String
    package let statement: String
    package var description: String { "SQLite \(code): \(message) (in \(statement))" }
}
