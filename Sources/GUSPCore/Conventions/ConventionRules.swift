/// The eight national ATFPB axes (framework of 2015, amended 2021), numbered as the national framework lists them.
public enum AtfpbAxis {
    public static let titles: [Int: String] = [
        1: "Renforcement de la présence du personnel de proximité",
        2: "Formation / soutien des personnels de proximité",
        3: "Sur-entretien",
        4: "Gestion des déchets et encombrants / épaves",
        5: "Tranquillité résidentielle",
        6: "Concertation / sensibilisation des locataires",
        7: "Animation, lien social, vivre ensemble",
        8: "Petits travaux d'amélioration de la qualité de service",
    ]
    public static let numbers = 1...8

    public static var axes: [ConventionAxis] {
        numbers.map { ConventionAxis(code: String($0), title: titles[$0]!) }
    }
}

/// Checks of a convention's content that need no database (those that do live in the store).
public enum ConventionRules {
    public static let maximumTerritories = 200
    public static let maximumActionSheets = 300
    public static let maximumCommitments = 300
    /// 10 billion euros, in cents: far above any real budget, well inside exact integer arithmetic.
    public static let maximumCents: Int64 = 1_000_000_000_000

    /// Applies changes to a content; action sheets named by id are replaced, others added with new ids.
    public static func applying(
        _ changes: ConventionChanges, to content: ConventionContent,
        newId: () -> String
    ) throws(ValidationFailure) -> ConventionContent {
        var result = content
        if let title = changes.title { result.title = title.trimmingWhitespace }
        if let summary = changes.summary { result.summary = summary?.trimmingWhitespace }
        if let start = changes.startDate { result.startDate = start }
        if let end = changes.endDate { result.endDate = end }
        if let territories = changes.territoryIds { result.territoryIds = territories }
        if let axes = changes.axes { result.axes = axes }
        if let commitments = changes.serviceCommitments { result.serviceCommitments = commitments }
        if let escalation = changes.escalation { result.escalation = escalation }
        for (index, draft) in (changes.actionSheets ?? []).enumerated() {
            if let id = draft.id {
                guard let position = result.actionSheets.firstIndex(where: { $0.id == id }) else {
                    throw ValidationFailure(field: "action_sheets[\(index)].id", message: "is not an action sheet of this convention")
                }
                result.actionSheets[position] = terms(draft, id: id)
            } else {
                result.actionSheets.append(terms(draft, id: newId()))
            }
        }
        return result
    }

    public static func terms(_ draft: ActionSheetDraft, id: String) -> ActionSheetTerms {
        ActionSheetTerms(
            id: id, axis: draft.axis?.trimmingWhitespace, title: draft.title.trimmingWhitespace,
            objective: draft.objective.trimmingWhitespace, leadPartnerId: draft.leadPartnerId, partnerIds: draft.partnerIds,
            startDate: draft.startDate, endDate: draft.endDate, budgetCents: draft.budgetCents, indicators: draft.indicators)
    }

    /// Checks a whole content, naming fields as the client wrote them.
    public static func check(_ content: ConventionContent, kind: ConventionKind, signatoryIds: [String], into check: inout Validator) {
        check.text(content.title, "title", maxLength: 300)
        if let summary = content.summary { check.text(summary, "summary", maxLength: 4_000) }
        day(content.startDate, "start_date", &check)
        day(content.endDate, "end_date", &check)
        if LandParcel.isDay(content.startDate), LandParcel.isDay(content.endDate), content.endDate < content.startDate {
            check.fail("end_date", "must not be before start_date")
        }
        if content.territoryIds.isEmpty { check.fail("territory_ids", "must name at least one territory") }
        if content.territoryIds.count > maximumTerritories { check.fail("territory_ids", "must name at most \(maximumTerritories) territories") }
        if Set(content.territoryIds).count != content.territoryIds.count { check.fail("territory_ids", "must not repeat a territory") }
        let axisCodes: Set<String>
        switch kind {
        case .atfpb:
            if content.axes != AtfpbAxis.axes { check.fail("axes", "an ATFPB convention has the eight national axes; leave axes out") }
            axisCodes = Set(AtfpbAxis.numbers.map(String.init))
        case .gusp:
            for (index, axis) in content.axes.enumerated() {
                check.text(axis.code, "axes[\(index)].code", maxLength: 50)
                check.text(axis.title, "axes[\(index)].title", maxLength: 300)
            }
            if Set(content.axes.map(\.code)).count != content.axes.count { check.fail("axes", "must not repeat an axis code") }
            axisCodes = Set(content.axes.map(\.code))
        }
        if let escalation = content.escalation {
            for (name, value) in [("level2_after", escalation.level2After), ("level3_after", escalation.level3After)]
            where !(value.isFinite && value >= 0 && value <= 100) {
                check.fail("escalation." + name, "must be a fraction of the commitment's delay from 0 to 100")
            }
        }
        if content.serviceCommitments.count > maximumCommitments {
            check.fail("service_commitments", "must hold at most \(maximumCommitments) commitments")
        }
        var seen = Set<String>()
        for (index, commitment) in content.serviceCommitments.enumerated() {
            let field = "service_commitments[\(index)]"
            if !(1...Commitment.maximumAmount).contains(commitment.delay.amount) {
                check.fail(field + ".delay.amount", "must be a whole number from 1 to \(Commitment.maximumAmount)")
            }
            if let partner = commitment.partnerId, !signatoryIds.contains(partner) {
                check.fail(field + ".partner_id", "must be a signatory of the convention")
            }
            if !seen.insert(commitment.categoryId + "|" + (commitment.partnerId ?? "")).inserted {
                check.fail(field, "repeats the commitment of this category for this partner")
            }
        }
        if content.actionSheets.count > maximumActionSheets { check.fail("action_sheets", "must hold at most \(maximumActionSheets) sheets") }
        for (index, sheet) in content.actionSheets.enumerated() {
            let field = "action_sheets[\(index)]"
            check.text(sheet.title, field + ".title", maxLength: 300)
            check.text(sheet.objective, field + ".objective", maxLength: 4_000)
            if let axis = sheet.axis, !axisCodes.contains(axis) { check.fail(field + ".axis", "is not an axis of this convention") }
            if !signatoryIds.contains(sheet.leadPartnerId) { check.fail(field + ".lead_partner_id", "must be a signatory of the convention") }
            if sheet.partnerIds.count > 50 { check.fail(field + ".partner_ids", "must name at most 50 partners") }
            if let start = sheet.startDate { day(start, field + ".start_date", &check) }
            if let end = sheet.endDate { day(end, field + ".end_date", &check) }
            if let start = sheet.startDate, let end = sheet.endDate, end < start { check.fail(field + ".end_date", "must not be before start_date") }
            if let budget = sheet.budgetCents { cents(budget, field + ".budget_cents", &check) }
            if sheet.indicators.count > 50 { check.fail(field + ".indicators", "must hold at most 50 indicators") }
            for (position, indicator) in sheet.indicators.enumerated() {
                check.text(indicator.label, field + ".indicators[\(position)].label", maxLength: 300)
                if let target = indicator.target { check.text(target, field + ".indicators[\(position)].target", maxLength: 300) }
            }
        }
    }

    static func day(_ text: String, _ field: String, _ check: inout Validator) {
        if !LandParcel.isDay(text) { check.fail(field, "must be a date YYYY-MM-DD") }
    }

    /// Amounts are whole cents from 0 to `maximumCents` (a fraction of a cent fails earlier, as a non-integer).
    public static func cents(_ value: Int64, _ field: String, _ check: inout Validator) {
        if value < 0 { check.fail(field, "must not be negative") }
        if value > maximumCents { check.fail(field, "must be at most \(maximumCents) cents") }
    }
}
