import Foundation
import GUSPAPI
import GUSPCore

extension Components.Schemas.ServiceCommitment {
    init(_ commitment: ServiceCommitment) {
        self.init(categoryId: commitment.categoryId, partnerId: commitment.partnerId, delay: .init(commitment.delay))
    }

    var commitment: ServiceCommitment {
        ServiceCommitment(categoryId: categoryId, partnerId: partnerId, delay: delay.commitment)
    }
}

extension Components.Schemas.ConventionAxis {
    init(_ axis: ConventionAxis) { self.init(code: axis.code, title: axis.title) }
    var axis: ConventionAxis { ConventionAxis(code: code, title: title) }
}

extension Components.Schemas.ActionSheetTerms {
    init(_ terms: ActionSheetTerms) {
        self.init(
            id: terms.id, axis: terms.axis, title: terms.title, objective: terms.objective, leadPartnerId: terms.leadPartnerId,
            partnerIds: terms.partnerIds, startDate: terms.startDate, endDate: terms.endDate, budgetCents: terms.budgetCents,
            indicators: terms.indicators.map { .init(label: $0.label, target: $0.target) })
    }
}

extension Components.Schemas.ActionSheetTermsWrite {
    func draft(_ field: String, _ check: inout Validator) -> ActionSheetDraft {
        ActionSheetDraft(
            id: id, axis: axis, title: title, objective: objective, leadPartnerId: leadPartnerId, partnerIds: partnerIds ?? [],
            startDate: startDate, endDate: endDate, budgetCents: Cents.whole(budgetCents, field + ".budget_cents", into: &check),
            indicators: (indicators ?? []).map { ActionSheetIndicator(label: $0.label, target: $0.target) })
    }
}

extension Array where Element == Components.Schemas.ActionSheetTermsWrite {
    /// The drafts, or a 422 naming every amount that is not whole cents.
    func drafts(_ field: String = "action_sheets") throws(ValidationFailure) -> [ActionSheetDraft] {
        var check = Validator()
        let drafts = enumerated().map { $0.element.draft("\(field)[\($0.offset)]", &check) }
        try check.throwIfFailed()
        return drafts
    }
}

extension Components.Schemas.ActionSheet {
    init(_ sheet: ActionSheet) {
        let terms = sheet.terms
        self.init(
            id: terms.id, axis: terms.axis, title: terms.title, objective: terms.objective, leadPartnerId: terms.leadPartnerId,
            partnerIds: terms.partnerIds, startDate: terms.startDate, endDate: terms.endDate, budgetCents: terms.budgetCents,
            indicators: terms.indicators.map { .init(label: $0.label, target: $0.target) },
            status: .init(sheet.status), progress: sheet.progress,
            updates: sheet.updates.map {
                .init(
                    id: $0.id, date: $0.day, note: $0.note, progress: $0.progress, authorId: $0.authorId,
                    createdAt: Date(storedMilliseconds: $0.createdAt))
            },
            version: sheet.version)
    }
}

extension Components.Schemas.ConventionContent {
    init(_ content: ConventionContent) {
        self.init(
            title: content.title, summary: content.summary, startDate: content.startDate, endDate: content.endDate,
            territoryIds: content.territoryIds, axes: content.axes.map(Components.Schemas.ConventionAxis.init),
            serviceCommitments: content.serviceCommitments.map(Components.Schemas.ServiceCommitment.init),
            actionSheets: content.actionSheets.map(Components.Schemas.ActionSheetTerms.init),
            escalation: content.escalation.map(Components.Schemas.ConventionEscalation.init))
    }
}

extension Components.Schemas.ConventionEscalation {
    init(_ escalation: ConventionEscalation) {
        self.init(level2After: escalation.level2After, level3After: escalation.level3After)
    }

    var escalation: ConventionEscalation { ConventionEscalation(level2After: level2After, level3After: level3After) }
}

extension Components.Schemas.ConventionSignature {
    init(_ signature: ConventionSignature) {
        self.init(
            partnerId: signature.partnerId, signedBy: signature.signedBy, signerRole: .init(signature.signerRole),
            signedAt: Date(storedMilliseconds: signature.signedAt))
    }
}

extension Components.Schemas.ConventionVersion {
    init(_ version: ConventionVersion) {
        self.init(
            number: version.number, amendmentNumber: version.number > 1 ? version.number - 1 : nil, summary: version.summary,
            changes: version.changes, content: .init(version.content), proposedBy: version.proposedBy,
            proposedAt: Date(storedMilliseconds: version.proposedAt), inForce: version.inForceAt != nil,
            inForceAt: version.inForceAt.map { Date(storedMilliseconds: $0) },
            withdrawnAt: version.withdrawnAt.map { Date(storedMilliseconds: $0) },
            signatures: version.signatures.map(Components.Schemas.ConventionSignature.init))
    }
}

extension Components.Schemas.Convention {
    init(_ convention: Convention) {
        let content = convention.content
        self.init(
            id: convention.id, kind: .init(convention.kind), status: .init(convention.status),
            title: content.title, summary: content.summary, startDate: content.startDate, endDate: content.endDate,
            territoryIds: content.territoryIds, signatoryIds: convention.signatoryIds, bailleurId: convention.bailleurId,
            budgetsPublic: convention.budgetsPublic, budgetsHidden: convention.budgetsHidden,
            axes: content.axes.map(Components.Schemas.ConventionAxis.init),
            serviceCommitments: content.serviceCommitments.map(Components.Schemas.ServiceCommitment.init),
            actionSheets: convention.actionSheets.map(Components.Schemas.ActionSheet.init),
            escalation: content.escalation.map(Components.Schemas.ConventionEscalation.init), version: convention.version,
            revision: convention.revision, signatures: convention.signatures.map(Components.Schemas.ConventionSignature.init),
            pendingAmendment: convention.pendingAmendment.map(Components.Schemas.ConventionVersion.init),
            signedAt: convention.signedAt.map { Date(storedMilliseconds: $0) },
            terminatedAt: convention.terminatedAt.map { Date(storedMilliseconds: $0) },
            createdAt: Date(storedMilliseconds: convention.createdAt), updatedAt: Date(storedMilliseconds: convention.updatedAt))
    }
}

extension Components.Schemas.ConventionChanges {
    func changes() throws(ValidationFailure) -> ConventionChanges {
        ConventionChanges(
            title: title, summary: summary.map { .some($0) }, startDate: startDate, endDate: endDate, territoryIds: territoryIds,
            axes: axes?.map(\.axis), serviceCommitments: serviceCommitments?.map(\.commitment),
            actionSheets: try actionSheets?.drafts("changes.action_sheets"), escalation: escalation?.escalation)
    }
}

extension Components.Schemas.AtfpbAmounts {
    init(_ amounts: AtfpbAmounts) {
        self.init(
            plannedCents: amounts.plannedCents, realisedCents: amounts.realisedCents, atfpbShareCents: amounts.atfpbShareCents,
            otherFundingCents: amounts.otherFundingCents, interventions: amounts.interventions)
    }
}

extension Components.Schemas.AtfpbReport {
    init(_ report: AtfpbReport) {
        self.init(
            conventionId: report.conventionId, bailleurId: report.bailleurId, year: report.year, currency: .eur,
            lines: report.lines.map {
                .init(
                    axis: $0.axis, axisTitle: AtfpbAxis.titles[$0.axis] ?? "", territoryId: $0.territoryId, actions: $0.actions,
                    amounts: .init($0.amounts))
            },
            axisTotals: report.axisTotals.map { .init(axis: $0.axis, axisTitle: AtfpbAxis.titles[$0.axis] ?? "", amounts: .init($0.amounts)) },
            totals: .init(report.totals))
    }
}

extension Components.Schemas.Intervention {
    init(_ intervention: Intervention) {
        let report = intervention.report
        self.init(
            id: intervention.id, partnerId: intervention.partnerId, externalId: intervention.externalId, kind: report.kind,
            status: .init(report.status), scheduledAt: report.scheduledAt.map { Date(storedMilliseconds: $0) },
            doneAt: report.doneAt.map { Date(storedMilliseconds: $0) }, territoryId: report.territoryId,
            location: report.location.map { .init(lat: $0.lat, long: $0.long) }, description: report.description,
            signalementIds: report.signalementIds, atfpbAxis: report.atfpbAxis,
            amounts: .init(
                plannedCents: report.amounts.plannedCents, realisedCents: report.amounts.realisedCents,
                atfpbShareCents: report.amounts.atfpbShareCents, otherFundingCents: report.amounts.otherFundingCents),
            version: intervention.version, createdAt: Date(storedMilliseconds: intervention.createdAt),
            updatedAt: Date(storedMilliseconds: intervention.updatedAt))
    }
}

extension Components.Schemas.InterventionWrite {
    /// The report, or a 422 naming every amount that is not whole cents.
    func report() throws(ValidationFailure) -> InterventionReport {
        var check = Validator()
        let amounts = InterventionAmounts(
            plannedCents: Cents.whole(amounts?.plannedCents, "amounts.planned_cents", into: &check),
            realisedCents: Cents.whole(amounts?.realisedCents, "amounts.realised_cents", into: &check),
            atfpbShareCents: Cents.whole(amounts?.atfpbShareCents, "amounts.atfpb_share_cents", into: &check),
            otherFundingCents: Cents.whole(amounts?.otherFundingCents, "amounts.other_funding_cents", into: &check))
        try check.throwIfFailed()
        return InterventionReport(
            kind: kind, status: InterventionStatus(status),
            scheduledAt: scheduledAt?.storedMilliseconds, doneAt: doneAt?.storedMilliseconds, territoryId: territoryId,
            location: location.map { Position(long: $0.long, lat: $0.lat) }, description: description,
            signalementIds: signalementIds ?? [], atfpbAxis: atfpbAxis, amounts: amounts)
    }
}
