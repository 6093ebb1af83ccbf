import GUSPDatabase
import SQLKit

/// The schema of a database as both engines can report it, in one comparable text: per table its
/// columns (name, type family, nullability) in order, its primary key, its unique constraints and its
/// named indexes (columns, unique, partial). Defaults and constraint names are left out: the engines
/// name and spell them differently.
enum DatabaseSchema {
    static func describe(_ database: any Database) async throws -> String {
        try await database.read { db in
            var lines: [String] = []
            for table in try await tables(database.engine, db) {
                lines.append("table \(table)")
                for column in try await columns(of: table, database.engine, db) { lines.append("  column \(column)") }
                for constraint in try await keys(of: table, database.engine, db) { lines.append("  \(constraint)") }
                for index in try await indexes(of: table, database.engine, db) { lines.append("  \(index)") }
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// The lines that differ, each under the table it belongs to: `- ` expected but missing, `+ ` found
    /// but not expected. Empty when both are the same.
    static func difference(found: String, expected: String) -> String {
        func blocks(_ text: String) -> [String: [String]] {
            var blocks: [String: [String]] = [:]
            var table = ""
            for line in text.split(separator: "\n").map(String.init) {
                if line.hasPrefix("table ") { table = line } else { blocks[table, default: []].append(line) }
                blocks[table, default: []] += []
            }
            return blocks
        }
        let (have, want) = (blocks(found), blocks(expected))
        var lines: [String] = []
        for table in Set(have.keys).union(want.keys).sorted() {
            guard let wanted = want[table] else {
                lines.append("+ \(table)")
                continue
            }
            guard let had = have[table] else {
                lines.append("- \(table)")
                continue
            }
            let changes = had.difference(from: wanted).map { change -> String in
                switch change {
                case .insert(_, let line, _): "+ \(line)"
                case .remove(_, let line, _): "- \(line)"
                }
            }
            if !changes.isEmpty { lines.append(table) }
            lines += changes
        }
        return lines.joined(separator: "\n")
    }

    /// An engine's column type, as the family the migrations declare it in.
    static func family(_ type: String) -> String {
        switch type.lowercased() {
        case "bigint", "integer", "int", "int8": "integer"
        case "text", "character varying", "varchar": "text"
        case "double precision", "real", "float8": "real"
        case "blob", "bytea": "bytes"
        case let other: other
        }
    }

    private static func tables(_ engine: Engine, _ db: any SQLDatabase) async throws -> [String] {
        let query: SQLQueryString =
            switch engine {
            case .sqlite: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            case .postgres:
                """
                SELECT table_name AS name FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name
                """
            }
        return try await db.raw(query).all().map { try $0.decode(column: "name", as: String.self) }
    }

    private static func columns(of table: String, _ engine: Engine, _ db: any SQLDatabase) async throws -> [String] {
        switch engine {
        case .sqlite:
            return try await db.raw("SELECT name, type, \"notnull\" AS required, pk FROM pragma_table_info(\(bind: table)) ORDER BY cid")
                .all().map { row in
                    let required = try row.decode(column: "required", as: Int.self) != 0 || row.decode(column: "pk", as: Int.self) != 0
                    return try "\(row.decode(column: "name", as: String.self)) \(family(row.decode(column: "type", as: String.self)))"
                        + (required ? " not null" : "")
                }
        case .postgres:
            return try await db.raw(
                """
                SELECT column_name AS name, data_type AS type, is_nullable AS nullable FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = \(bind: table) ORDER BY ordinal_position
                """
            ).all().map { row in
                try "\(row.decode(column: "name", as: String.self)) \(family(row.decode(column: "type", as: String.self)))"
                    + (row.decode(column: "nullable", as: String.self) == "NO" ? " not null" : "")
            }
        }
    }

    /// `primary key (…)` and `unique (…)`, in column order.
    private static func keys(of table: String, _ engine: Engine, _ db: any SQLDatabase) async throws -> [String] {
        switch engine {
        case .sqlite:
            let primary = try await db.raw("SELECT name FROM pragma_table_info(\(bind: table)) WHERE pk > 0 ORDER BY pk").all()
                .map { try $0.decode(column: "name", as: String.self) }
            var keys = primary.isEmpty ? [] : ["primary key (\(primary.joined(separator: ", ")))"]
            let uniques = try await db.raw("SELECT name FROM pragma_index_list(\(bind: table)) WHERE origin = 'u'").all()
                .map { try $0.decode(column: "name", as: String.self) }
            var described: [String] = []
            for index in uniques {
                let columns = try await db.raw("SELECT name FROM pragma_index_info(\(bind: index)) ORDER BY seqno").all()
                    .map { try $0.decode(column: "name", as: String.self) }
                described.append("unique (\(columns.joined(separator: ", ")))")
            }
            keys += described.sorted()
            return keys
        case .postgres:
            let rows = try await db.raw(
                """
                SELECT c.contype AS kind, array_to_string(ARRAY(
                  SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, position)
                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.position), ', ') AS columns
                FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
                WHERE t.relname = \(bind: table) AND t.relnamespace = current_schema()::regnamespace AND c.contype IN ('p', 'u')
                """
            ).all()
            let primary = try rows.filter { try $0.decode(column: "kind", as: String.self) == "p" }
                .map { "primary key (\(try $0.decode(column: "columns", as: String.self)))" }
            let uniques = try rows.filter { try $0.decode(column: "kind", as: String.self) == "u" }
                .map { "unique (\(try $0.decode(column: "columns", as: String.self)))" }
            return primary + uniques.sorted()
        }
    }

    /// Named indexes (not those behind a key): `index name (columns)`, then `unique`, `partial`.
    private static func indexes(of table: String, _ engine: Engine, _ db: any SQLDatabase) async throws -> [String] {
        switch engine {
        case .sqlite:
            let rows = try await db.raw(
                """
                SELECT l.name, l."unique" AS is_unique, l.partial FROM pragma_index_list(\(bind: table)) l
                WHERE l.origin = 'c' ORDER BY l.name
                """
            ).all()
            var described: [String] = []
            for row in rows {
                let name = try row.decode(column: "name", as: String.self)
                let columns = try await db.raw("SELECT name FROM pragma_index_info(\(bind: name)) ORDER BY seqno").all()
                    .map { try $0.decode(column: "name", as: String?.self) ?? "(expression)" }
                described.append(
                    try index(
                        name, columns, unique: row.decode(column: "is_unique", as: Int.self) != 0,
                        partial: row.decode(column: "partial", as: Int.self) != 0))
            }
            return described
        case .postgres:
            let rows = try await db.raw(
                """
                SELECT c.relname AS name, i.indisunique AS is_unique, i.indpred IS NOT NULL AS partial,
                  array_to_string(ARRAY(
                    SELECT COALESCE(a.attname, '(expression)') FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
                    LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.position), ', ') AS columns
                FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
                WHERE t.relname = \(bind: table) AND t.relnamespace = current_schema()::regnamespace
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
                ORDER BY c.relname
                """
            ).all()
            return try rows.map { row in
                try index(
                    row.decode(column: "name", as: String.self),
                    row.decode(column: "columns", as: String.self).components(separatedBy: ", "),
                    unique: row.decode(column: "is_unique", as: Bool.self), partial: row.decode(column: "partial", as: Bool.self))
            }
        }
    }

    private static func index(_ name: String, _ columns: [String], unique: Bool, partial: Bool) -> String {
        "index \(name) (\(columns.joined(separator: ", ")))" + (unique ? " unique" : "") + (partial ? " partial" : "")
    }
}
