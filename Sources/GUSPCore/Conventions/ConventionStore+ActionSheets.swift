import Foundation
import SQLKit

extension Store {
    /// The lead partner's staff or a coordinator reports where a fiche-action stands.
    public func updateActionSheet(
        conventionId: String, sheetId: String, _ change: ActionSheetProgress, ifVersion: Int?,
        by actor: Actor
    ) async throws -> ActionSheet {
        try Permissions.requireRole(actor, .updateActionSheet)
        var check = Validator()
        if let progress = change.progress, !(0...100).contains(progress) { check.fail("progress", "must be from 0 to 100") }
        if change.status == nil, change.progress == nil { check.fail("body", "must change status or progress") }
        try check.throwIfFailed()
        return try await changeActionSheet(conventionId: conventionId, sheetId: sheetId, by: actor) { sheet, now, db in
            if let expected = ifVersion, expected != sheet.version { throw DomainError.versionMismatch(current: sheet.version) }
            var fields: [String] = []
            if let status = change.status {
                sheet.status = status
                fields.append("status")
            }
            if let progress = change.progress {
                sheet.progress = progress
                fields.append("progress")
            }
            return fields
        }
    }

    /// A dated note on a fiche-action, which may also set its progress.
    public func addActionSheetUpdate(
        conventionId: String, sheetId: String, day: String, note: String, progress: Int?,
        by actor: Actor
    ) async throws -> ActionSheet {
        try Permissions.requireRole(actor, .updateActionSheet)
        var check = Validator()
        if !LandParcel.isDay(day) { check.fail("date", "must be a date YYYY-MM-DD") }
        check.text(note, "note", maxLength: 4_000)
        if let progress, !(0...100).contains(progress) { check.fail("progress", "must be from 0 to 100") }
        try check.throwIfFailed()
        return try await changeActionSheet(conventionId: conventionId, sheetId: sheetId, by: actor) { sheet, now, db in
            try await db.insert(into: "action_sheet_updates").columns("id", "action_sheet_id", "day", "note", "progress", "author_id", "created_at")
                .values(
                    SQLBind(Identifier.make("fau")), SQLBind(sheetId), SQLBind(day), SQLBind(note.trimmingWhitespace), SQLBind(progress),
                    SQLBind(actor.id), SQLBind(now)
                )
                .run()
            if let progress { sheet.progress = progress }
            return progress == nil ? ["updates"] : ["updates", "progress"]
        }
    }

    private func changeActionSheet(
        conventionId: String, sheetId: String, by actor: Actor,
        _ body: @escaping @Sendable (inout ActionSheet, Int64, any SQLDatabase) async throws -> [String]
    ) async throws -> ActionSheet {
        let reference = try await referenceSnapshot()
        let now = nowMilliseconds
        let today = self.today
        return try await database.write { db in
            let (row, convention) = try await Self.visibleConvention(conventionId, actor, reference: reference, today: today, db, forUpdate: true)
            guard var sheet = convention.actionSheets.first(where: { $0.terms.id == sheetId }) else {
                throw DomainError.notFound("action sheet not found in this convention")
            }
            let scope = ResourceScope(partnerIds: [sheet.terms.leadPartnerId], territoryIds: Set(convention.content.territoryIds))
            if !Permissions.allows(actor, .updateActionSheet, on: scope) {
                throw DomainError.forbidden("only the lead partner's staff, coordinators and admins report on this action sheet")
            }
            if row.conventionState != .signed {
                throw DomainError.conflict("progress is reported on signed conventions (this one is \(convention.status.rawValue))")
            }
            let fields = try await body(&sheet, now, db)
            sheet.version += 1
            try await db.update("action_sheets").set("status", to: sheet.status.rawValue).set("progress", to: sheet.progress)
                .set("version", to: sheet.version).set("updated_at", to: now).where("id", .equal, sheetId).run()
            try await Self.touchConvention(conventionId, at: now, db)
            try await EventLog.append(db, .actionSheet, sheetId, "updated", actor: actor, changes: fields, at: now)
            try await EventLog.append(
                db, .convention, conventionId, "action_sheet_updated", actor: actor, changes: fields,
                note: "action sheet \(sheetId)", at: now)
            return try await Self.actionSheets([sheet.terms], conventionId: conventionId, db).first!
                .redactedBudget(Self.seesBudgets(actor, budgetsPublic: row.budgetsPublic != 0, signatoryIds: convention.signatoryIds))
        }
    }
}

extension ActionSheet {
    func redactedBudget(_ sees: Bool) -> ActionSheet {
        guard !sees else { return self }
        var copy = self
        copy.terms.budgetCents = nil
        return copy
    }
}
