import Foundation
import SQLKit

public struct ConventionFilter: Sendable {
    public var kind: ConventionKind?
    public var status: ConventionStatus?
    /// Conventions applying there: over this territory or one above it.
    public var territoryId: String?
    /// Conventions this partner signs.
    public var partnerId: String?
    public var updatedSince: Date?

    public init(
        kind: ConventionKind? = nil, status: ConventionStatus? = nil, territoryId: String? = nil, partnerId: String? = nil,
        updatedSince: Date? = nil
    ) {
        self.kind = kind
        self.status = status
        self.territoryId = territoryId
        self.partnerId = partnerId
        self.updatedSince = updatedSince
    }
}

extension Store {
    var today: String { LandParcel.day(of: clock.now()) }

    public func conventions(_ filter: ConventionFilter, page: PageRequest, by actor: Actor) async throws -> Page<Convention> {
        try Permissions.requireRole(actor, .readConvention)
        let reference = try await referenceSnapshot()
        let today = self.today
        return try await database.read { db in
            // Conventions are few (tens to hundreds): who sees which is decided in memory over all of them.
            var candidates: [String] = []
            let all = try await db.select().columns("id", "state", "start_date", "end_date", "kind").from("conventions").all()
            let ids = try all.map { try $0.decode(column: "id", as: String.self) }
            let signatories = try await Self.conventionSignatories(ids, db)
            let territories = try await TerritoryLinks.conventions.load(ids, db)
            let applying = filter.territoryId.map { Set(reference.territoryChain($0)) }
            for row in all {
                let id = try row.decode(column: "id", as: String.self)
                let state = ConventionState(rawValue: try row.decode(column: "state", as: String.self)) ?? .draft
                let status = state.status(
                    start: try row.decode(column: "start_date", as: String.self),
                    end: try row.decode(column: "end_date", as: String.self), today: today)
                let scopes = Self.conventionScopes(territoryIds: territories[id] ?? [], signatoryIds: signatories[id] ?? [], reference: reference)
                guard Self.mayRead(actor, status: status, scopes: scopes) else { continue }
                if let kind = filter.kind, kind.rawValue != (try row.decode(column: "kind", as: String.self)) { continue }
                if let wanted = filter.status, wanted != status { continue }
                if let applying, applying.isDisjoint(with: territories[id] ?? []) { continue }
                if let partner = filter.partnerId, !(signatories[id] ?? []).contains(partner) { continue }
                candidates.append(id)
            }
            guard !candidates.isEmpty else { return Page(items: [], nextCursor: nil) }
            let rows = try await db.select().column(SQLLiteral.all).from("conventions").where("id", .in, candidates)
                .updated(since: filter.updatedSince, table: "conventions").paged(page, table: "conventions")
                .all(decoding: ConventionRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            var items: [Convention] = []
            for row in rows.prefix(page.limit) {
                items.append(
                    try await Self.loadConvention(row, today: today, db)
                        .redacted(
                            seesBudgets: Self.seesBudgets(actor, budgetsPublic: row.budgetsPublic != 0, signatoryIds: signatories[row.id] ?? [])))
            }
            let next = rows.count > page.limit ? items.last.map { PageCursor(createdAt: $0.createdAt, id: $0.id).encoded } : nil
            return Page(items: items, nextCursor: next)
        }
    }

    public func convention(_ id: String, by actor: Actor) async throws -> Convention {
        try Permissions.requireRole(actor, .readConvention)
        let reference = try await referenceSnapshot()
        let today = self.today
        return try await database.read { db in
            let (row, convention) = try await Self.visibleConvention(id, actor, reference: reference, today: today, db)
            return convention.redacted(
                seesBudgets: Self.seesBudgets(
                    actor, budgetsPublic: row.budgetsPublic != 0,
                    signatoryIds: convention.signatoryIds))
        }
    }

    public func createConvention(_ new: NewConvention, by actor: Actor) async throws -> Convention {
        try Permissions.requireRole(actor, .createConvention)
        let reference = try await referenceSnapshot()
        let base = ConventionContent(
            title: new.title, summary: new.summary, startDate: new.startDate, endDate: new.endDate, territoryIds: new.territoryIds,
            axes: new.kind == .atfpb && new.axes.isEmpty ? AtfpbAxis.axes : new.axes, serviceCommitments: new.serviceCommitments,
            actionSheets: [], escalation: new.escalation)
        let content = try ConventionRules.applying(ConventionChanges(actionSheets: new.actionSheets), to: base) { Identifier.make("fac") }
        try ConventionChecks.check(content, kind: new.kind, signatoryIds: new.signatoryIds, bailleurId: new.bailleurId, reference: reference)
        let scopes = Self.conventionScopes(territoryIds: content.territoryIds, signatoryIds: new.signatoryIds, reference: reference)
        if !Permissions.allows(actor, .createConvention, on: scopes.write) {
            throw DomainError.forbidden("a coordinator creates conventions over their own territories only")
        }
        let now = nowMilliseconds
        let today = self.today
        let id = Identifier.make("cnv")
        return try await writeReference { db in
            try await db.insert(into: "conventions")
                .columns(
                    "id", "kind", "state", "start_date", "end_date", "content", "bailleur_id", "budgets_public", "version", "revision",
                    "created_at", "updated_at"
                )
                .values(
                    SQLBind(id), SQLBind(new.kind.rawValue), SQLBind(ConventionState.draft.rawValue), SQLBind(content.startDate),
                    SQLBind(content.endDate), SQLBind(content.storedJSON), SQLBind(new.bailleurId), SQLBind(new.budgetsPublic ? 1 : 0),
                    SQLBind(1), SQLBind(1), SQLBind(now), SQLBind(now)
                )
                .run()
            for partner in new.signatoryIds {
                try await db.insert(into: "convention_signatories").columns("convention_id", "partner_id").values(SQLBind(id), SQLBind(partner)).run()
            }
            try await db.insert(into: "convention_versions")
                .columns("convention_id", "number", "summary", "changes", "content", "proposed_by", "proposed_at")
                .values(SQLBind(id), SQLBind(1), SQLBind(String?.none), SQLBind("[]"), SQLBind(content.storedJSON), SQLBind(actor.id), SQLBind(now))
                .run()
            try await Self.saveConventionContent(id, content, at: now, db)
            try await EventLog.append(db, .convention, id, "created", actor: actor, at: now)
            let row = try await Self.loadConventionRow(id, db)!
            return try await Self.loadConvention(row, today: today, db)
        }
    }

    /// Edits a draft (content, signatories, bailleur) or, at any time, whether budgets are public.
    public func updateConvention(_ id: String, _ changes: ConventionDraftChanges, ifRevision: Int?, by actor: Actor) async throws -> Convention {
        try Permissions.requireRole(actor, .updateConvention)
        let reference = try await referenceSnapshot()
        let now = nowMilliseconds
        let today = self.today
        return try await writeReference { db in
            let (row, convention) = try await Self.conventionToChange(id, .updateConvention, actor, reference: reference, today: today, db)
            if let expected = ifRevision, expected != row.revision { throw DomainError.versionMismatch(current: row.revision) }
            let changesContent = !changes.content.changedFields.isEmpty || changes.signatoryIds != nil || changes.bailleurId != nil
            if changesContent, row.conventionState != .draft {
                throw DomainError.conflict(
                    "\("aeiou".contains(convention.status.rawValue.first ?? "x") ? "an" : "a") \(convention.status.rawValue) convention changes only by amendment (POST /v1/conventions/\(id)/amendments)"
                )
            }
            var fields = changes.content.changedFields
            if changesContent {
                let content = try ConventionRules.applying(changes.content, to: convention.content) { Identifier.make("fac") }
                let signatories = changes.signatoryIds ?? convention.signatoryIds
                let bailleur = changes.bailleurId ?? row.bailleurId
                try ConventionChecks.check(content, kind: convention.kind, signatoryIds: signatories, bailleurId: bailleur, reference: reference)
                let newScopes = Self.conventionScopes(territoryIds: content.territoryIds, signatoryIds: signatories, reference: reference)
                if !Permissions.allows(actor, .updateConvention, on: newScopes.write) {
                    throw DomainError.forbidden("a coordinator keeps conventions within their own territories")
                }
                if let signatoryIds = changes.signatoryIds {
                    fields.append("signatory_ids")
                    try await db.delete(from: "convention_signatories").where("convention_id", .equal, id).run()
                    for partner in signatoryIds {
                        try await db.insert(into: "convention_signatories").columns("convention_id", "partner_id")
                            .values(SQLBind(id), SQLBind(partner)).run()
                    }
                }
                // Signatures given to the draft so far were for another text: they must be given again.
                if !convention.signatures.isEmpty {
                    try await db.delete(from: "convention_signatures").where("convention_id", .equal, id).run()
                    fields.append("signatures")
                }
                if changes.bailleurId != nil { fields.append("bailleur_id") }
                try await db.update("conventions").set("bailleur_id", to: bailleur).where("id", .equal, id).run()
                try await db.update("convention_versions").set("content", to: content.storedJSON)
                    .where("convention_id", .equal, id).where("number", .equal, 1).run()
                try await Self.saveConventionContent(id, content, at: now, db)
            }
            if let published = changes.budgetsPublic {
                fields.append("budgets_public")
                try await db.update("conventions").set("budgets_public", to: published ? 1 : 0).where("id", .equal, id).run()
            }
            try await Self.touchConvention(id, at: now, db)
            try await EventLog.append(db, .convention, id, "updated", actor: actor, changes: fields, at: now)
            return try await Self.loadConvention(try await Self.loadConventionRow(id, db)!, today: today, db)
        }
    }

    /// Ends a convention before its term (or abandons a draft): it stops applying at once.
    public func terminateConvention(_ id: String, note: String?, by actor: Actor) async throws -> Convention {
        try Permissions.requireRole(actor, .updateConvention)
        let note = try Self.checkedNote(note)
        guard let note else { throw ValidationFailure(field: "note", message: "is required to terminate a convention") }
        let reference = try await referenceSnapshot()
        let now = nowMilliseconds
        let today = self.today
        return try await writeReference { db in
            let (row, convention) = try await Self.conventionToChange(id, .updateConvention, actor, reference: reference, today: today, db)
            if row.conventionState == .terminated { throw DomainError.conflict("the convention is already terminated") }
            try await db.update("conventions").set("state", to: ConventionState.terminated.rawValue).set("terminated_at", to: now)
                .where("id", .equal, id).run()
            try await Self.touchConvention(id, at: now, db)
            try await EventLog.append(
                db, .convention, id, "terminated", actor: actor, from: convention.status.rawValue,
                to: ConventionStatus.terminated.rawValue, note: note, at: now)
            return try await Self.loadConvention(try await Self.loadConventionRow(id, db)!, today: today, db)
        }
    }

    /// The convention if the actor may read it, else "not found".
    static func visibleConvention(
        _ id: String, _ actor: Actor, reference: ReferenceSnapshot, today: String, _ db: any SQLDatabase,
        forUpdate: Bool = false
    ) async throws -> (ConventionRow, Convention) {
        let (row, convention, _) = try await scopedConvention(id, actor, reference: reference, today: today, db, forUpdate: forUpdate)
        return (row, convention)
    }

    /// The convention with who may reach it, if the actor may read it, else "not found".
    static func scopedConvention(
        _ id: String, _ actor: Actor, reference: ReferenceSnapshot, today: String, _ db: any SQLDatabase,
        forUpdate: Bool = false
    ) async throws -> (ConventionRow, Convention, ConventionScopes) {
        guard let row = try await loadConventionRow(id, db, forUpdate: forUpdate) else { throw DomainError.notFound("convention not found") }
        let convention = try await loadConvention(row, today: today, db)
        let scopes = conventionScopes(territoryIds: convention.content.territoryIds, signatoryIds: convention.signatoryIds, reference: reference)
        guard mayRead(actor, status: convention.status, scopes: scopes) else { throw DomainError.notFound("convention not found") }
        return (row, convention, scopes)
    }

    /// The convention, locked, if the actor may do `operation` over its territories: "not found" when it
    /// may not even read it, 403 when it reads but may not change it.
    static func conventionToChange(
        _ id: String, _ operation: Operation, _ actor: Actor, reference: ReferenceSnapshot, today: String,
        _ db: any SQLDatabase
    ) async throws -> (ConventionRow, Convention) {
        let (row, convention, scopes) = try await scopedConvention(id, actor, reference: reference, today: today, db, forUpdate: true)
        if !Permissions.allows(actor, operation, on: scopes.write) {
            throw DomainError.forbidden("your role (\(actor.role.rawValue)) may not do \(operation.rawValue) here")
        }
        return (row, convention)
    }

    /// Writes the content in force (or the draft): the text, its period and territories for queries, and
    /// a progress row for every action sheet that has none yet.
    static func saveConventionContent(_ id: String, _ content: ConventionContent, at now: Int64, _ db: any SQLDatabase) async throws {
        try await db.update("conventions").set("content", to: content.storedJSON).set("start_date", to: content.startDate)
            .set("end_date", to: content.endDate).where("id", .equal, id).run()
        try await TerritoryLinks.conventions.replace(id, with: content.territoryIds, db)
        let existing = Set(
            try await db.select().column("id").from("action_sheets").where("convention_id", .equal, id).all()
                .map { try $0.decode(column: "id", as: String.self) })
        for sheet in content.actionSheets where !existing.contains(sheet.id) {
            try await db.insert(into: "action_sheets").columns("id", "convention_id", "status", "progress", "version", "created_at", "updated_at")
                .values(
                    SQLBind(sheet.id), SQLBind(id), SQLBind(ActionSheetStatus.planned.rawValue), SQLBind(0), SQLBind(1), SQLBind(now), SQLBind(now)
                )
                .run()
        }
    }

    static func touchConvention(_ id: String, at now: Int64, _ db: any SQLDatabase) async throws {
        try await db.update("conventions").set(SQLIdentifier("revision"), to: SQLRaw("revision + 1")).set("updated_at", to: now)
            .where("id", .equal, id).run()
    }
}
