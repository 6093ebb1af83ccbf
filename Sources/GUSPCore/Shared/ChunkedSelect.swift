import SQLKit

extension Store {
    static let idsPerStatement = 500

    /// The rows `query` selects for `ids`, 500 ids a statement (a bound list well within what SQLite
    /// and PostgreSQL take); the rows of each statement in the order the query gives them.
    static func rows(for ids: [String], _ query: ([String]) -> SQLSelectBuilder) async throws -> [any SQLRow] {
        var all: [any SQLRow] = []
        for start in stride(from: 0, to: ids.count, by: idsPerStatement) {
            all += try await query(Array(ids[start..<min(start + idsPerStatement, ids.count)])).all()
        }
        return all
    }
}
