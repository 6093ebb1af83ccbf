import SQLKit

/// Rows of one table, described column by column: the one description both writers use.
package struct TableRows: Sendable {
    package let table: String
    package let columns: [String]
    package var rows: [[ColumnValue]] = []

    package init(_ table: String, _ columns: [String]) {
        self.table = table
        self.columns = columns
    }

    package mutating func append(_ values: [ColumnValue]) {
        precondition(values.count == columns.count, "\(table): \(values.count) values for \(columns.count) columns")
        rows.append(values)
    }

    /// One multi-row insert through SQLKit (nothing when there are no rows).
    package func insert(_ db: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        let insert = db.insert(into: table).columns(columns)
        for row in rows { insert.values(row.map { $0.bind as any SQLExpression }) }
        try await insert.run()
    }

    /// The single-row statement `DirectSQLite` prepares once and runs for every row.
    package var singleRowInsert: String {
        "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
    }
}
