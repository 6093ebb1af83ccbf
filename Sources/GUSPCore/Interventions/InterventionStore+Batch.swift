import Foundation

/// One item of a batch: the partner's id for it and its report.
public struct InterventionBatchItem: Sendable {
    public var externalId: String
    public var report: InterventionReport
    /// Why the item was refused before reaching the store (its body could not be read as a report).
    public var refusal: (any Error)?

    public init(externalId: String, report: InterventionReport) {
        self.externalId = externalId
        self.report = report
    }

    public init(externalId: String, refusal: any Error) {
        self.externalId = externalId
        self.report = InterventionReport(kind: "", status: .planned)
        self.refusal = refusal
    }
}

/// What became of one item: its outcome, or why it was refused (nothing of it was written).
public struct InterventionBatchResult: Sendable {
    public var index: Int
    public var externalId: String
    public var upsert: InterventionUpsert?
    public var error: (any Error)?
}

extension Store {
    public static let maximumBatchItems = 500

    /// Applies each item on its own, in its own transaction: a refused item writes nothing and does not
    /// stop the others. The batch itself is refused whole (nothing written) when the caller may not push
    /// for this partner or when it holds more than 500 items or repeats an external id.
    public func upsertInterventions(partnerId: String, _ items: [InterventionBatchItem], by actor: Actor) async throws -> [InterventionBatchResult] {
        try Permissions.requireRole(actor, .writeIntervention)
        let reference = try await referenceSnapshot()
        guard reference.partnerKinds[partnerId] != nil else { throw DomainError.notFound("partner not found") }
        if !Permissions.allows(actor, .writeIntervention, on: ResourceScope(partnerIds: [partnerId])) {
            throw DomainError.forbidden("a partner pushes its own interventions only")
        }
        var check = Validator()
        if items.isEmpty { check.fail("items", "must hold at least one item") }
        if items.count > Self.maximumBatchItems { check.fail("items", "must hold at most \(Self.maximumBatchItems) items (got \(items.count))") }
        var seen: [String: Int] = [:]
        for (index, item) in items.enumerated() where item.refusal == nil {
            if let first = seen.updateValue(index, forKey: item.externalId) {
                check.fail("items[\(index)].external_id", "repeats items[\(first)]; send one report per intervention")
            }
        }
        try check.throwIfFailed()
        var results: [InterventionBatchResult] = []
        for (index, item) in items.enumerated() {
            do {
                if let refusal = item.refusal { throw refusal }
                let checked = try checkIntervention(
                    partnerId: partnerId, externalId: item.externalId, item.report, prefix: "",
                    by: actor, reference: reference)
                let now = nowMilliseconds
                let policy = settings.escalation
                let residents = settings.residents
                let applied = try await writeIntervention { db in
                    try await Self.applyIntervention(
                        partnerId: partnerId, externalId: item.externalId, checked, ifVersion: nil, prefix: "",
                        by: actor, policy: policy, residents: residents, at: now, db)
                }
                for signalement in applied.moved { recent.record(signalement, window: settings.duplicateWindow, now: now) }
                results.append(InterventionBatchResult(index: index, externalId: item.externalId, upsert: applied.upsert))
            } catch {
                results.append(InterventionBatchResult(index: index, externalId: item.externalId, error: error))
            }
        }
        return results
    }
}
