import Foundation
import SQLKit

/// What a signature did: the signature, and whether it was the last one needed.
public struct SignatureOutcome: Sendable {
    public var signature: ConventionSignature
    /// The version signed (1 for the original text, n for amendment n − 1).
    public var versionNumber: Int
    /// Whether every signatory has now signed that version, which is therefore in force.
    public var versionInForce: Bool
    public var convention: Convention
}

extension Store {
    /// A signatory partner signs what awaits signature: the draft, or the pending amendment. When the last
    /// signatory signs, the draft becomes signed (then active on its start date), or the amendment takes
    /// effect (its content becomes the convention's, `version` + 1).
    /// `ifRevision` is the revision the signer read; over HTTP it is required (`revisionRequired`: a
    /// signature names the text signed), the server's own callers (the demo loader) may omit it.
    public func signConvention(
        _ id: String, ifRevision: Int? = nil, revisionRequired: Bool = false,
        by actor: Actor
    ) async throws -> SignatureOutcome {
        try Permissions.requireRole(actor, .signConvention)
        let reference = try await referenceSnapshot()
        let now = nowMilliseconds
        let today = self.today
        return try await writeReference { db in
            let (row, convention, scopes) = try await Self.scopedConvention(id, actor, reference: reference, today: today, db, forUpdate: true)
            guard let partner = actor.partnerId, Permissions.allows(actor, .signConvention, on: scopes.sign) else {
                throw DomainError.forbidden("only elected officials and coordinators of a signatory partner sign this convention")
            }
            let number: Int
            switch row.conventionState {
            case .terminated: throw DomainError.conflict("the convention is terminated")
            case .draft: number = 1
            case .signed:
                guard let pending = convention.pendingAmendment else {
                    throw DomainError.conflict("nothing awaits signature: the convention is signed and no amendment is pending")
                }
                number = pending.number
            }
            if revisionRequired, ifRevision == nil {
                throw DomainError.versionRequired("send If-Match with the convention's ETag (the revision you read and sign)")
            }
            if let expected = ifRevision, expected != row.revision { throw DomainError.versionMismatch(current: row.revision) }
            let signatures = try await Self.conventionSignatures(id, number: number, db)
            if let previous = signatures.first(where: { $0.partnerId == partner }) {
                throw DomainError.conflict("partner \(partner) already signed version \(number) (by \(previous.signedBy))")
            }
            let signature = ConventionSignature(partnerId: partner, signedBy: actor.id, signerRole: actor.role, signedAt: now)
            try await db.insert(into: "convention_signatures")
                .columns("convention_id", "number", "partner_id", "signed_by", "signer_role", "signed_at")
                .values(SQLBind(id), SQLBind(number), SQLBind(partner), SQLBind(actor.id), SQLBind(actor.role.rawValue), SQLBind(now))
                .run()
            try await EventLog.append(
                db, .convention, id, "signed", actor: actor, changes: ["signatures"],
                note: "version \(number) signed for partner \(partner)", at: now)
            let complete = Set(signatures.map(\.partnerId) + [partner]).isSuperset(of: convention.signatoryIds)
            var messages = [
                OutboxMessage(
                    .conventionSigned, .convention, id, partners: convention.signatoryIds,
                    data: [
                        "convention_id": .text(id), "partner_id": .text(partner), "version": .number(Int64(number)),
                        "version_in_force": .flag(complete),
                    ], at: now)
            ]
            if complete, number > 1 {
                messages.append(
                    OutboxMessage(
                        .conventionAmended, .convention, id, partners: convention.signatoryIds,
                        data: [
                            "convention_id": .text(id), "version": .number(Int64(number)), "amendment_number": .number(Int64(number - 1)),
                        ], at: now))
            }
            try await Outbox.append(messages, db)
            if complete {
                try await db.update("convention_versions").set("in_force_at", to: now)
                    .where("convention_id", .equal, id).where("number", .equal, number).run()
                if number == 1 {
                    try await db.update("conventions").set("state", to: ConventionState.signed.rawValue).set("signed_at", to: now)
                        .where("id", .equal, id).run()
                    try await EventLog.append(
                        db, .convention, id, "status_changed", actor: actor, from: ConventionStatus.draft.rawValue,
                        to: ConventionStatus.signed.rawValue, note: "every signatory has signed", at: now)
                } else if let pending = convention.pendingAmendment {
                    try await Self.saveConventionContent(id, pending.content, at: now, db)
                    try await db.update("conventions").set("version", to: number).where("id", .equal, id).run()
                    try await EventLog.append(
                        db, .convention, id, "amended", actor: actor, changes: pending.changes,
                        note: "amendment \(number - 1) in force: every signatory has signed", at: now)
                }
            }
            try await Self.touchConvention(id, at: now, db)
            let updated = try await Self.loadConvention(try await Self.loadConventionRow(id, db)!, today: today, db)
            return SignatureOutcome(signature: signature, versionNumber: number, versionInForce: complete, convention: updated)
        }
    }

    /// Proposes an amendment to a signed convention (active, not yet active, or expired: an amendment may
    /// extend a lapsed one). It takes effect once every signatory has signed it; until then one amendment
    /// at most is pending.
    public func amendConvention(_ id: String, _ amendment: NewAmendment, by actor: Actor) async throws -> ConventionVersion {
        try Permissions.requireRole(actor, .amendConvention)
        var check = Validator()
        check.text(amendment.summary, "summary", maxLength: 4_000)
        if amendment.changes.changedFields.isEmpty {
            check.fail("changes", "must change at least one of period, territories, commitments, action sheets, axes, title, summary")
        }
        if let number = amendment.number, number < 1 { check.fail("number", "must be 1 or more") }
        try check.throwIfFailed()
        let reference = try await referenceSnapshot()
        let now = nowMilliseconds
        let today = self.today
        return try await writeReference { db in
            let (row, convention) = try await Self.conventionToChange(id, .amendConvention, actor, reference: reference, today: today, db)
            switch row.conventionState {
            case .draft: throw DomainError.conflict("a draft is edited directly (PATCH /v1/conventions/\(id)), not amended")
            case .terminated: throw DomainError.conflict("a terminated convention cannot be amended")
            case .signed: break
            }
            let versions = try await Self.conventionVersions(id, db)
            let next = (versions.map(\.number).max() ?? 1) + 1
            if let number = amendment.number {
                if number + 1 < next { throw DomainError.conflict("amendment \(number) already exists") }
                if number + 1 != next { throw ValidationFailure(field: "number", message: "must be \(next - 1), the next amendment number") }
            }
            if let pending = convention.pendingAmendment {
                throw DomainError.conflict("amendment \(pending.number - 1) awaits signatures; it must take effect before another is proposed")
            }
            let content = try ConventionRules.applying(amendment.changes, to: convention.content) { Identifier.make("fac") }
            try ConventionChecks.check(
                content, kind: convention.kind, signatoryIds: convention.signatoryIds, bailleurId: row.bailleurId,
                reference: reference)
            let newScopes = Self.conventionScopes(territoryIds: content.territoryIds, signatoryIds: convention.signatoryIds, reference: reference)
            if !Permissions.allows(actor, .amendConvention, on: newScopes.write) {
                throw DomainError.forbidden("a coordinator keeps conventions within their own territories")
            }
            let changes = amendment.changes.changedFields
            let changesJSON = String(decoding: try JSONEncoder().encode(changes), as: UTF8.self)
            let summary = amendment.summary.trimmingWhitespace
            try await db.insert(into: "convention_versions")
                .columns("convention_id", "number", "summary", "changes", "content", "proposed_by", "proposed_at")
                .values(
                    SQLBind(id), SQLBind(next), SQLBind(summary), SQLBind(changesJSON), SQLBind(content.storedJSON),
                    SQLBind(actor.id), SQLBind(now)
                )
                .run()
            try await Self.touchConvention(id, at: now, db)
            try await EventLog.append(
                db, .convention, id, "amendment_proposed", actor: actor, changes: changes,
                note: "amendment \(next - 1): \(summary.prefix(200))", at: now)
            return ConventionVersion(
                number: next, summary: summary, changes: changes, content: content, proposedBy: actor.id,
                proposedAt: now, inForceAt: nil, signatures: [])
        }
    }

    /// Withdraws the pending amendment (a signatory refused it, or it was wrong): it will never take effect,
    /// stays readable, and its number is not reused.
    public func withdrawAmendment(_ id: String, number: Int, note: String?, by actor: Actor) async throws -> ConventionVersion {
        try Permissions.requireRole(actor, .amendConvention)
        guard let note = try Self.checkedNote(note) else { throw ValidationFailure(field: "note", message: "is required to withdraw an amendment") }
        let reference = try await referenceSnapshot()
        let now = nowMilliseconds
        let today = self.today
        return try await writeReference { db in
            let (_, convention) = try await Self.conventionToChange(id, .amendConvention, actor, reference: reference, today: today, db)
            guard var pending = convention.pendingAmendment, pending.number == number else {
                throw DomainError.conflict("version \(number) is not a pending amendment of this convention")
            }
            try await db.update("convention_versions").set("withdrawn_at", to: now).set("withdrawn_by", to: actor.id)
                .where("convention_id", .equal, id).where("number", .equal, number).run()
            try await Self.touchConvention(id, at: now, db)
            try await EventLog.append(
                db, .convention, id, "amendment_withdrawn", actor: actor,
                note: "amendment \(number - 1): \(note)", at: now)
            pending.withdrawnAt = now
            return pending
        }
    }

    /// Every version: the original, the amendments in force and the pending one.
    public func conventionVersions(_ id: String, by actor: Actor) async throws -> [ConventionVersion] {
        try Permissions.requireRole(actor, .readConvention)
        let reference = try await referenceSnapshot()
        let today = self.today
        return try await database.read { db in
            let (row, convention) = try await Self.visibleConvention(id, actor, reference: reference, today: today, db)
            let sees = Self.seesBudgets(actor, budgetsPublic: row.budgetsPublic != 0, signatoryIds: convention.signatoryIds)
            return try await Self.conventionVersions(id, db).map { version in
                var copy = version
                if !sees { copy.content = version.content.withoutBudgets }
                return copy
            }
        }
    }

    public func conventionVersion(_ id: String, number: Int, by actor: Actor) async throws -> ConventionVersion {
        guard let version = try await conventionVersions(id, by: actor).first(where: { $0.number == number }) else {
            throw DomainError.notFound("version \(number) of this convention not found")
        }
        return version
    }
}
