import SQLKit

/// A value for one column of a stored row, typed even when absent: a row is described once and
/// written by SQLKit (both engines) or by `DirectSQLite` (the SQLite intake) with the same values.
package enum ColumnValue: Sendable, Equatable {
    case text(String?)
    case integer(Int64?)
    case real(Double?)

    package static func integer(_ value: Int) -> ColumnValue { .integer(Int64(value)) }
    package static func flag(_ value: Bool) -> ColumnValue { .integer(value ? 1 : 0) }

    /// The same value for SQLKit: an absent value keeps its type (PostgreSQL checks a parameter's type).
    package var bind: SQLBind {
        switch self {
        case .text(let value): SQLBind(value)
        case .integer(let value): SQLBind(value)
        case .real(let value): SQLBind(value)
        }
    }
}
