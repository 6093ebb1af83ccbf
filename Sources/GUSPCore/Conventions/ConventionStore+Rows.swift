import Foundation
import SQLKit

struct ConventionRow: Decodable {
    var id: String, kind: String, state: String, startDate: String, endDate: String, content: String
    var bailleurId: String?, budgetsPublic: Int, version: Int, revision: Int
    var signedAt: Int64?, terminatedAt: Int64?, createdAt: Int64, updatedAt: Int64

    var conventionState: ConventionState { ConventionState(rawValue: state) ?? .draft }

    func decodedContent() throws -> ConventionContent {
        try JSONDecoder().decode(ConventionContent.self, from: Data(content.utf8))
    }
}

/// Who may reach a convention: its signatories, the partners working where it applies, and its territories.
struct ConventionScopes {
    /// For reading: signatories and partners working in, above or below its territories; its territories
    /// and those below them.
    var read: ResourceScope
    /// For changing: its own territories only (a coordinator must hold them all).
    var write: ResourceScope
    /// For signing: the signatory partners.
    var sign: ResourceScope
}

extension ConventionContent {
    /// The content as stored (keys sorted, so that equal contents are equal text).
    var storedJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

extension Store {
    static func loadConventionRow(_ id: String, _ db: any SQLDatabase, forUpdate: Bool = false) async throws -> ConventionRow? {
        let query = db.select().column(SQLLiteral.all).from("conventions").where("id", .equal, id)
        if forUpdate { query.for(.update) }
        return try await query.first(decoding: ConventionRow.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    static func conventionSignatories(_ ids: [String], _ db: any SQLDatabase) async throws -> [String: [String]] {
        guard !ids.isEmpty else { return [:] }
        var result: [String: [String]] = [:]
        for row in try await db.select().columns("convention_id", "partner_id").from("convention_signatories")
            .where("convention_id", .in, ids).orderBy("partner_id").all()
        {
            result[try row.decode(column: "convention_id", as: String.self), default: []]
                .append(try row.decode(column: "partner_id", as: String.self))
        }
        return result
    }

    static func conventionSignatures(_ id: String, number: Int, _ db: any SQLDatabase) async throws -> [ConventionSignature] {
        try await db.select().columns("partner_id", "signed_by", "signer_role", "signed_at").from("convention_signatures")
            .where("convention_id", .equal, id).where("number", .equal, number).orderBy("signed_at").orderBy("partner_id").all()
            .map { row in
                ConventionSignature(
                    partnerId: try row.decode(column: "partner_id", as: String.self),
                    signedBy: try row.decode(column: "signed_by", as: String.self),
                    signerRole: Role(rawValue: try row.decode(column: "signer_role", as: String.self)) ?? .coordinator,
                    signedAt: try row.decode(column: "signed_at", as: Int64.self))
            }
    }

    static func conventionVersions(_ id: String, _ db: any SQLDatabase, number: Int? = nil) async throws -> [ConventionVersion] {
        let query = db.select().column(SQLLiteral.all).from("convention_versions").where("convention_id", .equal, id)
        if let number { query.where("number", .equal, number) }
        var versions: [ConventionVersion] = []
        for row in try await query.orderBy("number").all() {
            let number = try row.decode(column: "number", as: Int.self)
            versions.append(
                ConventionVersion(
                    number: number, summary: try row.decode(column: "summary", as: String?.self),
                    changes: try JSONDecoder().decode([String].self, from: Data(try row.decode(column: "changes", as: String.self).utf8)),
                    content: try JSONDecoder().decode(ConventionContent.self, from: Data(try row.decode(column: "content", as: String.self).utf8)),
                    proposedBy: try row.decode(column: "proposed_by", as: String?.self),
                    proposedAt: try row.decode(column: "proposed_at", as: Int64.self),
                    inForceAt: try row.decode(column: "in_force_at", as: Int64?.self),
                    withdrawnAt: try row.decode(column: "withdrawn_at", as: Int64?.self),
                    signatures: try await conventionSignatures(id, number: number, db)))
        }
        return versions
    }

    static func actionSheets(_ terms: [ActionSheetTerms], conventionId: String, _ db: any SQLDatabase) async throws -> [ActionSheet] {
        var progress: [String: (ActionSheetStatus, Int, Int)] = [:]
        for row in try await db.select().columns("id", "status", "progress", "version").from("action_sheets")
            .where("convention_id", .equal, conventionId).all()
        {
            progress[try row.decode(column: "id", as: String.self)] = (
                ActionSheetStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .planned,
                try row.decode(column: "progress", as: Int.self), try row.decode(column: "version", as: Int.self)
            )
        }
        var updates: [String: [ActionSheetUpdate]] = [:]
        if !progress.isEmpty {
            for row in try await db.select().columns("id", "action_sheet_id", "day", "note", "progress", "author_id", "created_at")
                .from("action_sheet_updates").where("action_sheet_id", .in, Array(progress.keys)).orderBy("day").orderBy("created_at").all()
            {
                updates[try row.decode(column: "action_sheet_id", as: String.self), default: []].append(
                    ActionSheetUpdate(
                        id: try row.decode(column: "id", as: String.self), day: try row.decode(column: "day", as: String.self),
                        note: try row.decode(column: "note", as: String.self), progress: try row.decode(column: "progress", as: Int?.self),
                        authorId: try row.decode(column: "author_id", as: String?.self),
                        createdAt: try row.decode(column: "created_at", as: Int64.self)))
            }
        }
        return terms.map { sheet in
            let state = progress[sheet.id] ?? (.planned, 0, 1)
            return ActionSheet(terms: sheet, status: state.0, progress: state.1, updates: updates[sheet.id] ?? [], version: state.2)
        }
    }

    /// The whole convention as stored (no redaction).
    static func loadConvention(_ row: ConventionRow, today: String, _ db: any SQLDatabase) async throws -> Convention {
        let content = try row.decodedContent()
        let pending = try await db.select().column("number").from("convention_versions").where("convention_id", .equal, row.id)
            .where("in_force_at", .is, SQLLiteral.null).where("withdrawn_at", .is, SQLLiteral.null)
            .where("number", .greaterThan, row.version).first()
        var pendingVersion: ConventionVersion?
        if let pending {
            pendingVersion = try await conventionVersions(row.id, db, number: try pending.decode(column: "number", as: Int.self)).first
        }
        return Convention(
            id: row.id, kind: ConventionKind(rawValue: row.kind) ?? .gusp,
            status: row.conventionState.status(start: row.startDate, end: row.endDate, today: today), content: content,
            signatoryIds: try await conventionSignatories([row.id], db)[row.id] ?? [], bailleurId: row.bailleurId,
            budgetsPublic: row.budgetsPublic != 0, version: row.version, revision: row.revision,
            signatures: try await conventionSignatures(row.id, number: row.version, db),
            pendingAmendment: pendingVersion, actionSheets: try await actionSheets(content.actionSheets, conventionId: row.id, db),
            signedAt: row.signedAt, terminatedAt: row.terminatedAt, createdAt: row.createdAt, updatedAt: row.updatedAt)
    }

    /// Signatories, partners working around its territories, and its territories with those below them.
    static func conventionScopes(territoryIds: [String], signatoryIds: [String], reference: ReferenceSnapshot) -> ConventionScopes {
        let own = Set(territoryIds)
        let below = reference.descendants(of: own)
        var around = own.union(below)
        for territory in own { around.formUnion(reference.territoryChain(territory)) }
        var partners = Set(signatoryIds)
        for territory in around { partners.formUnion((reference.partnersByTerritory[territory] ?? []).map(\.id)) }
        return ConventionScopes(
            read: ResourceScope(partnerIds: partners, territoryIds: own.union(below)),
            write: ResourceScope(territoryIds: own), sign: ResourceScope(partnerIds: Set(signatoryIds)))
    }

    /// Whether the actor may read this convention at all: by the permission table; residents only once it
    /// is active; the staff of partners working around it without signing it, not while it is a draft.
    static func mayRead(_ actor: Actor, status: ConventionStatus, scopes: ConventionScopes) -> Bool {
        if actor.role == .resident { return status == .active }
        if isOutsidePartner(actor, scopes.sign.partnerIds), status == .draft { return false }
        return Permissions.allows(actor, .readConvention, on: scopes.read)
    }

    /// Budgets (action sheets', the ATFPB programme and bilan) are for the signatories and the
    /// coordination: residents and partners that did not sign see them only once published.
    static func seesBudgets(_ actor: Actor, budgetsPublic: Bool, signatoryIds: [String]) -> Bool {
        if budgetsPublic { return true }
        return actor.role != .resident && !isOutsidePartner(actor, Set(signatoryIds))
    }

    /// A technician or partner system whose partner did not sign the convention.
    static func isOutsidePartner(_ actor: Actor, _ signatoryIds: Set<String>) -> Bool {
        guard actor.role == .technician || actor.role == .partnerSystem else { return false }
        return !(actor.partnerId.map(signatoryIds.contains) ?? false)
    }
}

extension Convention {
    /// What this reader may see of it: budgets removed when they may not see them.
    func redacted(seesBudgets: Bool) -> Convention {
        guard !seesBudgets else { return self }
        var copy = self
        copy.budgetsHidden = true
        copy.content.actionSheets = content.actionSheets.map {
            var sheet = $0
            sheet.budgetCents = nil
            return sheet
        }
        copy.actionSheets = actionSheets.map {
            var sheet = $0
            sheet.terms.budgetCents = nil
            return sheet
        }
        copy.pendingAmendment = pendingAmendment.map {
            var version = $0
            version.content = version.content.withoutBudgets
            return version
        }
        return copy
    }
}

extension ConventionContent {
    var withoutBudgets: ConventionContent {
        var copy = self
        copy.actionSheets = actionSheets.map {
            var sheet = $0
            sheet.budgetCents = nil
            return sheet
        }
        return copy
    }
}
