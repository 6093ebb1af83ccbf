import Crypto
import Foundation
import GUSPDatabase
import SQLKit

/// The result of one upsert.
public struct InterventionUpsert: Sendable {
    public var outcome: InterventionOutcome
    public var intervention: Intervention
}

extension Store {
    /// Creates or updates a partner's intervention by the partner's own id. The same report again changes
    /// nothing (no event, same version); another one updates it (version + 1). Linked signalements must be
    /// routed to that partner; they move to `in_progress` when the intervention starts and to `resolved`
    /// when it is done (when newly linked, or when the intervention's status changes).
    public func upsertIntervention(
        partnerId: String, externalId: String, _ report: InterventionReport, ifVersion: Int? = nil,
        by actor: Actor
    ) async throws -> InterventionUpsert {
        let reference = try await referenceSnapshot()
        let checked = try checkIntervention(partnerId: partnerId, externalId: externalId, report, prefix: "", by: actor, reference: reference)
        let now = nowMilliseconds
        let policy = settings.escalation
        let residents = settings.residents
        let result = try await writeIntervention { db in
            try await Self.applyIntervention(
                partnerId: partnerId, externalId: externalId, checked, ifVersion: ifVersion, prefix: "",
                by: actor, policy: policy, residents: residents, at: now, db)
        }
        for signalement in result.moved { recent.record(signalement, window: settings.duplicateWindow, now: now) }
        return result.upsert
    }

    /// One upsert's transaction. Two first reports of the same external id racing on PostgreSQL both find
    /// no row; the loser's insert breaks the unique key, and its retry then finds the winner's row
    /// (and answers unchanged or updated, as if it had come second).
    func writeIntervention(_ body: @Sendable (any SQLDatabase) async throws -> AppliedIntervention) async throws -> AppliedIntervention {
        do {
            return try await database.write(body)
        } catch  where DatabaseFailure.isUniqueViolation(error) {
            return try await database.write(body)
        }
    }

    /// Checks what can be checked before the transaction: the caller may push for this partner, the ids
    /// and fields are well formed, the territory is known (or derived from the location).
    func checkIntervention(
        partnerId: String, externalId: String, _ report: InterventionReport, prefix: String, by actor: Actor,
        reference: ReferenceSnapshot
    ) throws -> CheckedReport {
        try Permissions.requireRole(actor, .writeIntervention)
        guard reference.partnerKinds[partnerId] != nil else { throw DomainError.notFound("partner not found") }
        if !Permissions.allows(actor, .writeIntervention, on: ResourceScope(partnerIds: [partnerId])) {
            throw DomainError.forbidden("a partner pushes its own interventions only")
        }
        var report = report.normalized
        var check = Validator()
        if !InterventionReport.isExternalId(externalId) {
            check.fail(prefix + "external_id", "must be 1 to 128 visible characters, without /")
        }
        report.check(prefix: prefix, into: &check)
        if let territory = report.territoryId, reference.territories[territory] == nil {
            check.fail(prefix + "territory_id", "is not a known territory")
        }
        try check.throwIfFailed()
        // The hash is of the report as sent: a territory derived from a contour that moved since does not
        // make the same report "changed".
        let hash = SHA256.hash(data: Data(report.canonicalText.utf8)).hexadecimal
        if report.territoryId == nil, let location = report.location { report.territoryId = reference.territory(containing: location) }
        return CheckedReport(report: report, hash: hash)
    }

    struct CheckedReport: Sendable {
        var report: InterventionReport
        var hash: String
    }

    struct AppliedIntervention: Sendable {
        var upsert: InterventionUpsert
        var moved: [Signalement]
    }

    /// The upsert inside the caller's transaction.
    static func applyIntervention(
        partnerId: String, externalId: String, _ checked: CheckedReport, ifVersion: Int?, prefix: String,
        by actor: Actor, policy: EscalationPolicy, residents: ResidentSettings, at now: Int64, _ db: any SQLDatabase
    ) async throws -> AppliedIntervention {
        let report = checked.report
        let hash = checked.hash
        let existing = try await loadIntervention(partnerId: partnerId, externalId: externalId, db, forUpdate: true)
        // The same report again is answered as before, whatever If-Match says (a retry after a lost answer).
        if let existing, existing.bodyHash == hash {
            return AppliedIntervention(upsert: InterventionUpsert(outcome: .unchanged, intervention: existing.intervention), moved: [])
        }
        if let expected = ifVersion, expected != existing?.intervention.version ?? 0 {
            throw DomainError.versionMismatch(current: existing?.intervention.version ?? 0)
        }
        let previousLinks = Set(existing?.intervention.report.signalementIds ?? [])
        // Newly linked signalements must be routed to this partner (unknown and foreign ones look alike);
        // links made before stay, even if their signalement has moved on since.
        var linked: [LoadedSignalement] = []
        for (index, id) in report.signalementIds.enumerated() {
            let loaded = try await loadSignalement(id, db, forUpdate: true)
            if previousLinks.contains(id) {
                if let loaded { linked.append(loaded) }
                continue
            }
            guard let loaded, loaded.signalement.partnerId == partnerId else {
                throw ValidationFailure(field: prefix + "signalement_ids[\(index)]", message: "\(id) is not a signalement routed to this partner")
            }
            if [.rejected, .duplicate].contains(loaded.signalement.status) {
                throw ValidationFailure(field: prefix + "signalement_ids[\(index)]", message: "\(id) is \(loaded.signalement.status.rawValue)")
            }
            linked.append(loaded)
        }
        let referenceDay = LandParcel.day(
            of: Date(storedMilliseconds: report.doneAt ?? report.scheduledAt ?? existing?.intervention.createdAt ?? now))
        var intervention = Intervention(
            id: existing?.intervention.id ?? Identifier.make("itv"), partnerId: partnerId, externalId: externalId,
            report: report, version: (existing?.intervention.version ?? 0) + 1,
            createdAt: existing?.intervention.createdAt ?? now, updatedAt: now)
        let values: [(String, any SQLExpression)] = [
            ("kind", SQLBind(report.kind)), ("status", SQLBind(report.status.rawValue)), ("scheduled_at", SQLBind(report.scheduledAt)),
            ("done_at", SQLBind(report.doneAt)), ("territory_id", SQLBind(report.territoryId)), ("lat", SQLBind(report.location?.lat)),
            ("long", SQLBind(report.location?.long)), ("description", SQLBind(report.description)), ("atfpb_axis", SQLBind(report.atfpbAxis)),
            ("planned_cents", SQLBind(report.amounts.plannedCents)), ("realised_cents", SQLBind(report.amounts.realisedCents)),
            ("atfpb_share_cents", SQLBind(report.amounts.atfpbShareCents)), ("other_funding_cents", SQLBind(report.amounts.otherFundingCents)),
            ("reference_day", SQLBind(referenceDay)), ("body_hash", SQLBind(hash)), ("version", SQLBind(intervention.version)),
            ("updated_at", SQLBind(now)),
        ]
        if existing != nil {
            let update = db.update("interventions")
            for (column, value) in values { update.set(SQLIdentifier(column), to: value) }
            try await update.where("id", .equal, intervention.id).run()
            try await db.delete(from: "intervention_signalements").where("intervention_id", .equal, intervention.id).run()
        } else {
            try await db.insert(into: "interventions").columns(["id", "partner_id", "external_id", "created_at"] + values.map(\.0))
                .values([SQLBind(intervention.id), SQLBind(partnerId), SQLBind(externalId), SQLBind(now)] + values.map(\.1))
                .run()
        }
        for id in report.signalementIds {
            try await db.insert(into: "intervention_signalements").columns("intervention_id", "signalement_id")
                .values(SQLBind(intervention.id), SQLBind(id)).run()
        }
        let changes = existing.map { changedFields(from: $0.intervention.report, to: report) } ?? []
        try await EventLog.append(
            db, .intervention, intervention.id, existing == nil ? "created" : "updated", actor: actor, changes: changes,
            from: existing?.intervention.report.status.rawValue, to: report.status.rawValue, at: now)
        var messages = [
            OutboxMessage(
                .interventionUpserted, .intervention, intervention.id, partners: [partnerId],
                data: [
                    "intervention_id": .text(intervention.id), "partner_id": .text(partnerId), "external_id": .text(externalId),
                    "status": .text(report.status.rawValue), "version": .number(Int64(intervention.version)),
                    "outcome": .text(existing == nil ? InterventionOutcome.created.rawValue : InterventionOutcome.updated.rawValue),
                    "territory_id": .optional(report.territoryId),
                ], at: now)
        ]
        // Signalements follow the intervention when newly linked or when its status changed.
        var moved: [Signalement] = []
        let rollups = IndicatorChanges()
        if let target = report.status.signalementTarget {
            let statusChanged = existing?.intervention.report.status != report.status
            for loaded in linked where statusChanged || !previousLinks.contains(loaded.signalement.id) {
                var signalement = loaded.signalement
                // A signalement handed to another partner, merged or rejected since it was linked stays as it is.
                guard signalement.partnerId == partnerId, ![.rejected, .duplicate].contains(signalement.status) else { continue }
                if let moves = movesFollowing(signalement.status, to: target), !moves.isEmpty {
                    for next in moves {
                        let from = signalement.status
                        let before = signalement
                        signalement.status = next
                        if next == .resolved { signalement.resolvedAt = now }
                        try await saveState(&signalement, from: before, policy: policy, at: now, rollups: rollups, db)
                        try await EventLog.append(
                            db, .signalement, signalement.id, "status_changed", actor: actor, from: from.rawValue,
                            to: next.rawValue, note: "intervention \(externalId) (\(intervention.id))", at: now)
                        messages.append(Outbox.statusChanged(signalement, from: from, at: now, cause: "intervention \(intervention.id)"))
                    }
                    moved.append(signalement)
                    // The reporter hears of a resolution the partner's system reports, as of one set by hand.
                    if signalement.status == .resolved {
                        try await NotificationOutbox.signalementNews(.resolved, signalement, settings: residents, at: now, db)
                    }
                }
            }
        }
        try await rollups.write(db)
        try await Outbox.append(messages, db)
        intervention.updatedAt = now
        return AppliedIntervention(
            upsert: InterventionUpsert(outcome: existing == nil ? .created : .updated, intervention: intervention), moved: moved)
    }

    /// The moves that bring a signalement to `target`, or nil when it is already there or beyond.
    static func movesFollowing(_ status: SignalementStatus, to target: SignalementStatus) -> [SignalementStatus]? {
        let beyond: Set<SignalementStatus> = target == .inProgress ? [.inProgress, .resolved, .closed] : [.resolved, .closed]
        if beyond.contains(status) { return nil }
        return SignalementWorkflow.path(from: status, to: target, by: .assignedPartner)
    }

    static func changedFields(from old: InterventionReport, to new: InterventionReport) -> [String] {
        var fields: [String] = []
        if old.kind != new.kind { fields.append("kind") }
        if old.status != new.status { fields.append("status") }
        if old.scheduledAt != new.scheduledAt { fields.append("scheduled_at") }
        if old.doneAt != new.doneAt { fields.append("done_at") }
        if old.territoryId != new.territoryId { fields.append("territory_id") }
        if old.location != new.location { fields.append("location") }
        if old.description != new.description { fields.append("description") }
        if old.signalementIds != new.signalementIds { fields.append("signalement_ids") }
        if old.atfpbAxis != new.atfpbAxis { fields.append("atfpb_axis") }
        if old.amounts != new.amounts { fields.append("amounts") }
        return fields
    }
}
