/// Checks of a convention against the reference data (territories, partners, categories).
enum ConventionChecks {
    static func check(
        _ content: ConventionContent, kind: ConventionKind, signatoryIds: [String], bailleurId: String?,
        reference: ReferenceSnapshot
    ) throws(ValidationFailure) {
        var check = Validator()
        ConventionRules.check(content, kind: kind, signatoryIds: signatoryIds, into: &check)
        let unknownTerritories = content.territoryIds.filter { reference.territories[$0] == nil }
        if !unknownTerritories.isEmpty {
            check.fail("territory_ids", "unknown territories: \(unknownTerritories.joined(separator: ", "))")
        }
        if signatoryIds.isEmpty { check.fail("signatory_ids", "must name at least one signatory partner") }
        if signatoryIds.count > 50 { check.fail("signatory_ids", "must name at most 50 partners") }
        if Set(signatoryIds).count != signatoryIds.count { check.fail("signatory_ids", "must not repeat a partner") }
        let unknownPartners = signatoryIds.filter { reference.partnerKinds[$0] == nil }
        if !unknownPartners.isEmpty { check.fail("signatory_ids", "unknown partners: \(unknownPartners.joined(separator: ", "))") }
        switch kind {
        case .atfpb:
            let notQPV = content.territoryIds.filter { reference.territories[$0].map { $0.kind != TerritoryKind.qpv.rawValue } ?? false }
            if !notQPV.isEmpty { check.fail("territory_ids", "an ATFPB convention covers QPVs only: \(notQPV.joined(separator: ", "))") }
            if let bailleur = bailleurId {
                if !signatoryIds.contains(bailleur) { check.fail("bailleur_id", "must be a signatory") }
                if let kind = reference.partnerKinds[bailleur], kind != PartnerKind.bailleur.rawValue {
                    check.fail("bailleur_id", "must be a partner of kind bailleur")
                }
            } else {
                check.fail("bailleur_id", "is required for an ATFPB convention")
            }
        case .gusp:
            if bailleurId != nil { check.fail("bailleur_id", "is for ATFPB conventions only") }
        }
        for (index, commitment) in content.serviceCommitments.enumerated() where reference.categories[commitment.categoryId] == nil {
            check.fail("service_commitments[\(index)].category_id", "is not a known category")
        }
        for (index, sheet) in content.actionSheets.enumerated() {
            let unknown = sheet.partnerIds.filter { reference.partnerKinds[$0] == nil }
            if !unknown.isEmpty { check.fail("action_sheets[\(index)].partner_ids", "unknown partners: \(unknown.joined(separator: ", "))") }
        }
        try check.throwIfFailed()
    }
}
