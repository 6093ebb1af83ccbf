import Foundation
import SQLKit

extension Store {
    /// The programme lines of one year of an ATFPB convention.
    public func atfpbProgramme(conventionId: String, year: Int, by actor: Actor) async throws -> [AtfpbProgrammeLine] {
        try Permissions.requireRole(actor, .readConvention)
        let reference = try await referenceSnapshot()
        let today = self.today
        return try await database.read { db in
            let (row, convention) = try await Self.visibleConvention(conventionId, actor, reference: reference, today: today, db)
            try Self.requireAtfpb(convention, budgetsPublic: row.budgetsPublic != 0, actor: actor)
            return try await Self.programmeLines(conventionId, year: year, db)
        }
    }

    /// Replaces the programme of one year: the bailleur's staff and systems, coordinators, admins.
    public func replaceAtfpbProgramme(
        conventionId: String, year: Int, _ lines: [AtfpbProgrammeLine], by actor: Actor
    ) async throws -> [AtfpbProgrammeLine] {
        try Permissions.requireRole(actor, .writeAtfpbProgramme)
        let reference = try await referenceSnapshot()
        let now = nowMilliseconds
        let today = self.today
        return try await database.write { db in
            let (row, convention) = try await Self.visibleConvention(conventionId, actor, reference: reference, today: today, db, forUpdate: true)
            guard convention.kind == .atfpb, let bailleur = convention.bailleurId else {
                throw DomainError.conflict("only an ATFPB convention has a programme")
            }
            let scope = ResourceScope(partnerIds: [bailleur], territoryIds: Set(convention.content.territoryIds))
            if !Permissions.allows(actor, .writeAtfpbProgramme, on: scope) {
                throw DomainError.forbidden("the programme is written by the bailleur, coordinators of its territories and admins")
            }
            if row.conventionState == .terminated { throw DomainError.conflict("the convention is terminated") }
            var check = Validator()
            let first = Int(convention.content.startDate.prefix(4)) ?? 0
            let last = Int(convention.content.endDate.prefix(4)) ?? 0
            if !(first...max(first, last)).contains(year) { check.fail("year", "must be within the convention's period (\(first)–\(last))") }
            var seen = Set<String>()
            for (index, line) in lines.enumerated() {
                let field = "lines[\(index)]"
                if !AtfpbAxis.numbers.contains(line.axis) { check.fail(field + ".axis", "must be from 1 to 8") }
                if !convention.content.territoryIds.contains(line.territoryId) {
                    check.fail(field + ".territory_id", "is not a territory of this convention")
                }
                ConventionRules.cents(line.plannedCents, field + ".planned_cents", &check)
                if line.actions.count > 4_000 { check.fail(field + ".actions", "must be at most 4000 characters") }
                if !seen.insert("\(line.axis)|\(line.territoryId)").inserted { check.fail(field, "repeats this axis and territory") }
            }
            try check.throwIfFailed()
            try await db.delete(from: "atfpb_programme_lines").where("convention_id", .equal, conventionId).where("year", .equal, year).run()
            for line in lines {
                try await db.insert(into: "atfpb_programme_lines")
                    .columns("convention_id", "year", "axis", "territory_id", "planned_cents", "actions")
                    .values(
                        SQLBind(conventionId), SQLBind(year), SQLBind(line.axis), SQLBind(line.territoryId), SQLBind(line.plannedCents),
                        SQLBind(line.actions.trimmingWhitespace)
                    )
                    .run()
            }
            try await Self.touchConvention(conventionId, at: now, db)
            try await EventLog.append(
                db, .convention, conventionId, "programme_replaced", actor: actor, changes: ["atfpb_programme"],
                note: "year \(year)", at: now)
            return try await Self.programmeLines(conventionId, year: year, db)
        }
    }

    /// The yearly bilan: per axis × QPV, the programme's planned amount, and from the bailleur's
    /// interventions done that year (on `done_at`, Europe/Paris) with that axis in that QPV (or a
    /// territory below it): realised amounts, ATFPB share, other funding and their number.
    public func atfpbReport(conventionId: String, year: Int, by actor: Actor) async throws -> AtfpbReport {
        try Permissions.requireRole(actor, .readConvention)
        guard (2000...2100).contains(year) else { throw ValidationFailure(field: "year", message: "must be a year from 2000 to 2100") }
        let reference = try await referenceSnapshot()
        let today = self.today
        return try await database.read { db in
            let (row, convention) = try await Self.visibleConvention(conventionId, actor, reference: reference, today: today, db)
            try Self.requireAtfpb(convention, budgetsPublic: row.budgetsPublic != 0, actor: actor)
            let bailleur = convention.bailleurId ?? ""
            var cells: [String: AtfpbReportLine] = [:]
            func key(_ axis: Int, _ territory: String) -> String { "\(axis)|\(territory)" }
            for line in try await Self.programmeLines(conventionId, year: year, db) {
                var amounts = AtfpbAmounts()
                amounts.plannedCents = line.plannedCents
                cells[key(line.axis, line.territoryId)] = AtfpbReportLine(
                    axis: line.axis, territoryId: line.territoryId, actions: line.actions,
                    amounts: amounts)
            }
            let qpvs = Set(convention.content.territoryIds)
            let done = try await db.select()
                .columns("atfpb_axis", "territory_id", "realised_cents", "atfpb_share_cents", "other_funding_cents").from("interventions")
                .where("partner_id", .equal, bailleur).where("status", .equal, InterventionStatus.done.rawValue)
                .where("atfpb_axis", .isNot, SQLLiteral.null)
                .where("reference_day", .greaterThanOrEqual, String(format: "%04d-01-01", year))
                .where("reference_day", .lessThanOrEqual, String(format: "%04d-12-31", year)).all()
            for intervention in done {
                guard let axis = try intervention.decode(column: "atfpb_axis", as: Int?.self),
                    let territory = try intervention.decode(column: "territory_id", as: String?.self),
                    let qpv = reference.territoryChain(territory).first(where: qpvs.contains)
                else { continue }
                var line = cells[key(axis, qpv)] ?? AtfpbReportLine(axis: axis, territoryId: qpv, actions: "", amounts: AtfpbAmounts())
                line.amounts.realisedCents += try intervention.decode(column: "realised_cents", as: Int64?.self) ?? 0
                line.amounts.atfpbShareCents += try intervention.decode(column: "atfpb_share_cents", as: Int64?.self) ?? 0
                line.amounts.otherFundingCents += try intervention.decode(column: "other_funding_cents", as: Int64?.self) ?? 0
                line.amounts.interventions += 1
                cells[key(axis, qpv)] = line
            }
            let lines = cells.values.sorted { ($0.axis, $0.territoryId) < ($1.axis, $1.territoryId) }
            var byAxis: [Int: AtfpbAmounts] = [:]
            var totals = AtfpbAmounts()
            for line in lines {
                byAxis[line.axis, default: AtfpbAmounts()].add(line.amounts)
                totals.add(line.amounts)
            }
            return AtfpbReport(
                conventionId: conventionId, bailleurId: bailleur, year: year, lines: lines,
                axisTotals: byAxis.keys.sorted().map { ($0, byAxis[$0]!) }, totals: totals)
        }
    }

    static func requireAtfpb(_ convention: Convention, budgetsPublic: Bool, actor: Actor) throws {
        guard convention.kind == .atfpb else { throw DomainError.conflict("only an ATFPB convention has a programme and a bilan") }
        if !seesBudgets(actor, budgetsPublic: budgetsPublic, signatoryIds: convention.signatoryIds) {
            throw DomainError.forbidden("the amounts of this convention are not published")
        }
    }

    static func programmeLines(_ conventionId: String, year: Int, _ db: any SQLDatabase) async throws -> [AtfpbProgrammeLine] {
        try await db.select().columns("axis", "territory_id", "planned_cents", "actions").from("atfpb_programme_lines")
            .where("convention_id", .equal, conventionId).where("year", .equal, year).orderBy("axis").orderBy("territory_id").all()
            .map { row in
                AtfpbProgrammeLine(
                    axis: try row.decode(column: "axis", as: Int.self), territoryId: try row.decode(column: "territory_id", as: String.self),
                    plannedCents: try row.decode(column: "planned_cents", as: Int64.self),
                    actions: try row.decode(column: "actions", as: String.self))
            }
    }
}
