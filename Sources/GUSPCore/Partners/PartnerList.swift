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
}
