import SQLKit

/// What a row's key names for a reader of a CSV: the category's, territory's or partner's code and
/// label instead of its opaque id. Other groupings (days, axes, channels…) are their own code.
public struct KeyName: Sendable, Equatable {
    public let code: String
    public let label: String

    public init(code: String, label: String) {
        self.code = code
        self.label = label
    }
}

extension Store {
    /// The code and label of each id among `keys` for a grouping by category, territory or partner
    /// (a partner's code is its SIREN when it has one); empty for the other groupings.
    public func keyNames(for grouping: IndicatorGrouping?, keys: Set<String>) async throws -> [String: KeyName] {
        let columns: (table: String, code: String, label: String)
        switch grouping {
        case .category: columns = ("categories", "code", "label")
        case .territory: columns = ("territories", "code", "label")
        case .partner: columns = ("partners", "siren", "name")
        default: return [:]
        }
        let ids = keys.filter { $0 != "total" }
        guard !ids.isEmpty else { return [:] }
        return try await database.read { db in
            var names: [String: KeyName] = [:]
            let rows = try await db.select().column("id").column(SQLColumn(columns.code)).column(SQLColumn(columns.label))
                .from(columns.table).where("id", .in, Array(ids)).all()
            for row in rows {
                let id = try row.decode(column: "id", as: String.self)
                names[id] = KeyName(
                    code: try row.decode(column: columns.code, as: String?.self) ?? "", label: try row.decode(column: columns.label, as: String.self))
            }
            return names
        }
    }
}
