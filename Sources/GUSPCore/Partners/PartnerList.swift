import SQLKit

extension Store {
    /// A list of partners taking part in something (an engagement's other partners, a walk's invited
    /// ones): at most `limit`, each once, each known, and not the one that leads it (`lead`, named
    /// `leadName` in the message).
    static func checkPartnerList(
        _ partners: [String], field: String, lead: String?, leadName: String, limit: Int, reference: ReferenceSnapshot,
        _ check: inout Validator
    ) {
        if partners.count > limit { check.fail(field, "must list at most \(limit) partners") }
        if Set(partners).count != partners.count { check.fail(field, "must not list a partner twice") }
        for (index, partner) in partners.enumerated() where reference.partnerKinds[partner] == nil {
            check.fail(field + "[\(index)]", "is not a known partner")
        }
        if let lead, partners.contains(lead) { check.fail(field, "must not list \(leadName)") }
    }

    /// Sets which partners of a walk or a meeting are `invited` or `present` (`column`), in a link
    /// table with both flags: the others lose that flag, a row with neither goes.
    static func setLinkedPartners(
        table: String, key: String, _ id: String, _ partners: [String], column: String, _ db: any SQLDatabase
    ) async throws {
        try await db.update(table).set(SQLIdentifier(column), to: SQLBind(0)).where(SQLIdentifier(key), .equal, SQLBind(id)).run()
        for partner in partners {
            try await db.insert(into: table).columns(key, "partner_id", "invited", "present")
                .values(SQLBind(id), SQLBind(partner), SQLBind(column == "invited" ? 1 : 0), SQLBind(column == "present" ? 1 : 0))
                .onConflict(with: [key, "partner_id"]) { $0.set(SQLIdentifier(column), to: SQLBind(1)) }
                .run()
        }
        try await db.delete(from: table).where(SQLIdentifier(key), .equal, SQLBind(id)).where("invited", .equal, 0).where("present", .equal, 0)
            .run()
    }

    /// The partners invited and those present, by walk or meeting id, from such a link table.
    static func loadLinkedPartners(
        table: String, key: String, _ ids: [String], _ db: any SQLDatabase
    ) async throws
        -> (invited: [String: [String]], present: [String: [String]])
    {
        var invited: [String: [String]] = [:]
        var present: [String: [String]] = [:]
        for row in try await db.select().columns(key, "partner_id", "invited", "present").from(table).where(
            SQLIdentifier(key), .in, SQLBind.group(ids)
        )
        .orderBy("partner_id").all() {
            let id = try row.decode(column: key, as: String.self)
            let partner = try row.decode(column: "partner_id", as: String.self)
            if try row.decode(column: "invited", as: Int.self) != 0 { invited[id, default: []].append(partner) }
            if try row.decode(column: "present", as: Int.self) != 0 { present[id, default: []].append(partner) }
        }
        return (invited, present)
    }
}
