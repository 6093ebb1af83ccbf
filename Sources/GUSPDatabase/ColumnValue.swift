import SQLKit

/// A value for one column of a stored row, typed even when absent: a row is described once and
/// written by SQLKit (both engines) or by `DirectSQLite` (the SQLite intake) with the same values.
enum ColumnValue: Sendable, Equatable {
    case text(String?)
    case integer(Int64?)
    case real(Double?)

    static func integer(_ value: Int) -> ColumnValue { .integer(Int64(value)) }
    static func flag(_ value: Bool) -> ColumnValue { .integer(value ? 1 : 0) }

    /// The same value for SQLKit: an absent value keeps its type (PostgreSQL checks a parameter's type).
    var bind: SQLBind {
        switch self {
        case .text(let value): SQLBind(value)
        case .integer(let value): SQLBind(value)
        case .real(let value): SQLBind(value)
        }
    }
}

/// Rows of one table, described column by column: the one description both writers use.
struct TableRows: Sendable {
    let table: String
    let columns: [String]
    var rows: [[ColumnValue]] = []

    init(_ table: String, _ columns: [String]) {
        self.table = table
        self.columns = columns
    }

    mutating func append(_ values: [ColumnValue]) {
        precondition(values.count == columns.count, "\(table): \(values.count) values for \(columns.count) columns")
        rows.append(values)
    }

    /// One multi-row insert through SQLKit (nothing when there are no rows).
    func insert(_ db: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        let insert = db.insert(into: table).columns(columns)
        for row in rows { insert.values(row.map { $0.bind as any SQLExpression }) }
        try await insert.run()
    }

    /// The single-row statement `DirectSQLite` prepares once and runs for every row.
    var singleRowInsert: String {
        "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
    }
}
