import Foundation
import GUSPDatabase
import SQLKit

/// A candidate item about a signalement, before deduplication: one item per signalement, the most
/// pressing reason first (an escalation, tranquillité, an arbitration, lateness).
private struct Candidate {
    var item: AgendaItem
    var rank: Int
}

extension Store {
    static let agendaOverdueLimit = 100
    static let engagementHorizonDays: Int64 = 14

    /// Proposes the agenda from what is wrong now in the meeting's territories (and those below):
    /// escalations at level ≥ 2 nobody reviewed, tranquillité signalements (confidential, as every item
    /// about one), signalements waiting for arbitration (overlapping land parcels named apart),
    /// signalements late by more than
    /// `rules.overdueDays` days (the 100 most overdue first), hot spots, engagements due within 14 days or
    /// overdue, fiches-actions past their end. One item per signalement; what is already on the agenda
    /// is not added again. Returns the items added.
    public func generateAgenda(_ meetingId: String, rules: AgendaRules = AgendaRules(), by actor: Actor) async throws -> [AgendaItem] {
        try Permissions.requireRole(actor, .writeMeeting)
        var check = Validator()
        if !(0...365).contains(rules.overdueDays) { check.fail("overdue_days", "must be from 0 to 365") }
        if !(2...100).contains(rules.hotSpotMinimum) { check.fail("hot_spot_minimum", "must be from 2 to 100") }
        try check.throwIfFailed()
        let reference = try await referenceSnapshot()
        let now = nowMilliseconds
        let today = self.today
        return try await database.write { db in
            let meeting = try await Self.requireMeetingWriter(meetingId, actor, db)
            guard meeting.status == .planned || meeting.status == .held else {
                throw DomainError.conflict("the agenda of a meeting that is \(meeting.status.rawValue) is closed")
            }
            let territories = Array(reference.descendants(of: Set(meeting.territoryIds)).union(meeting.territoryIds))
            let existing = try await Self.loadAgenda(meetingId, db)
            var onAgenda = Set(existing.compactMap(\.signalementId))
            let labels = try await Self.agendaLabels(territories, db)
            func make(
                _ kind: AgendaItemKind, _ type: AgendaTargetType, _ target: String, signalement: String?, _ title: String, _ detail: String?,
                confidential: Bool = false
            ) -> AgendaItem {
                AgendaItem(
                    id: Identifier.make("itm"), meetingId: meetingId, position: 0, kind: kind, targetType: type, targetId: target,
                    signalementId: signalement, title: title, detail: detail, isConfidential: confidential, carriedFrom: nil, createdAt: now)
            }
            var candidates: [Candidate] = []
            let tranquillite = reference.tranquilliteCategories
            // Signalements: escalations, arbitration, tranquillité, lateness.
            let open = SignalementStatus.open.map(\.rawValue)
            for row in try await db.select()
                .columns(
                    SQLColumn("id", table: "escalations"), SQLColumn("signalement_id", table: "escalations"),
                    SQLColumn("level", table: "escalations"), SQLColumn("category_id", table: "signalements"),
                    SQLColumn("territory_id", table: "signalements"), SQLColumn("partner_id", table: "signalements"),
                    SQLColumn("due_at", table: "signalements")
                )
                .from("escalations").join(
                    "signalements", on: SQLColumn("signalement_id", table: "escalations"), .equal, SQLColumn("id", table: "signalements")
                )
                .where(SQLColumn("level", table: "escalations"), .greaterThanOrEqual, SQLBind(2))
                .where(SQLColumn("acknowledged_at", table: "escalations"), .is, SQLLiteral.null)
                .where(SQLColumn("status", table: "signalements"), .in, SQLBind.group(open))
                .where(SQLColumn("territory_id", table: "signalements"), .in, SQLBind.group(territories))
                .orderBy(SQLOrderBy(expression: SQLColumn("level", table: "escalations"), direction: SQLDirection.descending)).all()
            {
                let signalement = try row.decode(column: "signalement_id", as: String.self)
                let level = try row.decode(column: "level", as: Int.self)
                let category = try row.decode(column: "category_id", as: String.self)
                let place = labels.place(category, try row.decode(column: "territory_id", as: String?.self))
                let partner = labels.partner(try row.decode(column: "partner_id", as: String?.self))
                let due = try row.decode(column: "due_at", as: Int64?.self).map { ", échéance du \(FrenchDates.day($0))" } ?? ""
                candidates.append(
                    Candidate(
                        item: make(
                            .escalation, .escalation, try row.decode(column: "id", as: String.self), signalement: signalement,
                            "Escalade de niveau \(level) non traitée : \(place)", "Signalement \(signalement), chez \(partner)\(due).",
                            confidential: tranquillite.contains(category)),
                        rank: 10 - level))
            }
            let signalements = try await db.select().columns("id", "status", "category_id", "territory_id", "partner_id", "due_at")
                .from("signalements").where("status", .in, open).where("territory_id", .in, territories)
                .where { group in
                    group.where("status", .equal, SignalementStatus.needsArbitration.rawValue)
                        .orWhere("due_at", .lessThan, now - Int64(rules.overdueDays) * 86_400_000)
                        .orWhere("category_id", .in, tranquillite.isEmpty ? ["-"] : Array(tranquillite))
                }
                .orderBy("due_at").all()
            let reasons = try await Self.routingReasons(
                try signalements.filter { try $0.decode(column: "status", as: String.self) == SignalementStatus.needsArbitration.rawValue }
                    .map { try $0.decode(column: "id", as: String.self) }, db)
            for row in signalements {
                let id = try row.decode(column: "id", as: String.self)
                let category = try row.decode(column: "category_id", as: String.self)
                let place = labels.place(category, try row.decode(column: "territory_id", as: String?.self))
                let dueAt = try row.decode(column: "due_at", as: Int64?.self)
                if tranquillite.contains(category) {
                    candidates.append(
                        Candidate(
                            item: make(
                                .tranquillite, .signalement, id, signalement: id, "Tranquillité : \(place)", "Signalement \(id).", confidential: true),
                            rank: 15))
                } else if try row.decode(column: "status", as: String.self) == SignalementStatus.needsArbitration.rawValue {
                    let reason = reasons[id] ?? ""
                    let overlap = reason.contains("land parcels")
                    candidates.append(
                        Candidate(
                            item: make(
                                overlap ? .parcelOverlap : .arbitration, .signalement, id, signalement: id,
                                overlap ? "Parcelles de partenaires différents qui se chevauchent : \(place)" : "En attente d'arbitrage : \(place)",
                                "Signalement \(id)\(reason.isEmpty ? "" : " ; routage : \(reason)")."),
                            rank: 20))
                } else if let dueAt, dueAt < now - Int64(rules.overdueDays) * 86_400_000 {
                    let days = (now - dueAt) / 86_400_000
                    candidates.append(
                        Candidate(
                            item: make(
                                .overdue, .signalement, id, signalement: id, "En retard de \(days) jours : \(place)",
                                "Signalement \(id), chez \(labels.partner(try row.decode(column: "partner_id", as: String?.self))), échéance du \(FrenchDates.day(dueAt))."
                            ),
                            rank: 40))
                }
            }
            var items: [AgendaItem] = []
            var late = 0
            let ordered = candidates.enumerated().sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }.map(\.element)
            for candidate in ordered {
                guard let signalement = candidate.item.signalementId, !onAgenda.contains(signalement) else { continue }
                // The most overdue come first; past the limit, the next generation brings the rest.
                if candidate.item.kind == .overdue {
                    if late == Self.agendaOverdueLimit { continue }
                    late += 1
                }
                onAgenda.insert(signalement)
                items.append(candidate.item)
            }
            // Hot spots, engagements, fiches-actions.
            // A hot spot an open engagement already answers is followed through that engagement.
            let spots = try await Self.hotSpots(territories, minimum: rules.hotSpotMinimum, now: now, db)
            let answered = try await Self.answeredSignalements(spots.flatMap(\.members), db)
            for spot in spots where answered.isDisjoint(with: spot.members) && !onAgenda.contains(spot.first) {
                onAgenda.insert(spot.first)
                // The count, not the members' ids: they may be other partners' signalements.
                items.append(
                    make(
                        .hotSpot, .hotSpot, spot.first, signalement: spot.first,
                        "Point noir : \(spot.count) signalements « \(labels.category(spot.categoryId)) » à moins de 50 m en 90 jours (\(labels.territory(spot.territoryId)))",
                        "Le premier, \(spot.first), du \(FrenchDates.day(spot.firstFiledAt)).", confidential: tranquillite.contains(spot.categoryId))
                )
            }
            for row in try await db.select().columns("id", "title", "due_date", "due_at", "lead_partner_id").from("engagements")
                .where("status", .in, [EngagementStatus.planned.rawValue, EngagementStatus.inProgress.rawValue])
                .where("territory_id", .in, territories).where("due_at", .lessThanOrEqual, now + Self.engagementHorizonDays * 86_400_000)
                .orderBy("due_at").all()
            {
                let dueAt = try row.decode(column: "due_at", as: Int64.self)
                let dueDate = try row.decode(column: "due_date", as: String.self)
                items.append(
                    make(
                        .engagement, .engagement, try row.decode(column: "id", as: String.self), signalement: nil,
                        "\(dueAt < now ? "Engagement en retard" : "Engagement à échéance") : \(try row.decode(column: "title", as: String.self))",
                        "Porté par \(labels.partner(try row.decode(column: "lead_partner_id", as: String?.self))), échéance le \(FrenchDates.day(ofText: dueDate))."
                    ))
            }
            for sheet in try await Self.lateActionSheets(territories, today: today, db) {
                items.append(
                    make(
                        .actionSheet, .actionSheet, sheet.id, signalement: nil, "Fiche-action en retard : \(sheet.title)",
                        "Fin prévue le \(FrenchDates.day(ofText: sheet.endDate)), \(sheet.progress) % réalisés."))
            }
            let written = try await Self.appendItems(items, to: meetingId, db)
            if !written.isEmpty {
                try await Self.touchMeeting(meetingId, at: now, db)
                try await EventLog.append(
                    db, .meeting, meetingId, "agenda_generated", actor: actor, changes: ["agenda"], note: "\(written.count) items", at: now)
            }
            return written
        }
    }

    /// Those of these signalements linked to an engagement still planned or in progress.
    private static func answeredSignalements(_ ids: [String], _ db: any SQLDatabase) async throws -> Set<String> {
        let linked = try await rows(for: ids) { chunk in
            db.select().column(SQLColumn("signalement_id", table: "engagement_signalements")).from("engagement_signalements")
                .join("engagements", on: SQLColumn("engagement_id", table: "engagement_signalements"), .equal, SQLColumn("id", table: "engagements"))
                .where(SQLColumn("signalement_id", table: "engagement_signalements"), .in, SQLBind.group(chunk))
                .where(
                    SQLColumn("status", table: "engagements"), .in,
                    SQLBind.group([EngagementStatus.planned.rawValue, EngagementStatus.inProgress.rawValue]))
        }
        return Set(try linked.map { try $0.decode(column: "signalement_id", as: String.self) })
    }

    /// The routing reason of each signalement's filing (its `created` event's note).
    private static func routingReasons(_ ids: [String], _ db: any SQLDatabase) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        var reasons: [String: String] = [:]
        for row in try await db.select().columns("resource_id", "note").from("events").where(
            "resource_type", .equal, ResourceType.signalement.rawValue
        )
        .where("resource_id", .in, ids).where("action", .equal, "created").all() {
            reasons[try row.decode(column: "resource_id", as: String.self)] = try row.decode(column: "note", as: String?.self)
        }
        return reasons
    }

    /// Fiches-actions of the conventions in force over these territories, past their end date and
    /// neither done nor abandoned.
    private static func lateActionSheets(
        _ territories: [String], today: String, _ db: any SQLDatabase
    ) async throws
        -> [(id: String, title: String, endDate: String, progress: Int)]
    {
        let ids = Set(
            try await db.select().column("convention_id").from("convention_territories").where("territory_id", .in, territories).all()
                .map { try $0.decode(column: "convention_id", as: String.self) })
        var late: [(id: String, title: String, endDate: String, progress: Int)] = []
        for id in ids.sorted() {
            guard let row = try await loadConventionRow(id, db) else { continue }
            let convention = try await loadConvention(row, today: today, db)
            guard convention.status == .active else { continue }
            for sheet in convention.actionSheets where sheet.status != .done && sheet.status != .abandoned {
                guard let end = sheet.terms.endDate, end < today else { continue }
                late.append((sheet.terms.id, sheet.terms.title, end, sheet.progress))
            }
        }
        return late
    }
}

/// The words agenda items name things by.
struct AgendaLabels {
    var categories: [String: String]
    var territories: [String: String]
    var partners: [String: String]

    func category(_ id: String) -> String { categories[id] ?? id }
    func territory(_ id: String?) -> String { id.flatMap { territories[$0] } ?? "hors territoire" }
    func partner(_ id: String?) -> String { id.flatMap { partners[$0] } ?? "personne" }
    func place(_ category: String, _ territory: String?) -> String { "\(self.category(category)) (\(self.territory(territory)))" }
}

extension Store {
    static func agendaLabels(_ territories: [String], _ db: any SQLDatabase) async throws -> AgendaLabels {
        var labels = AgendaLabels(categories: [:], territories: [:], partners: [:])
        for row in try await db.select().columns("id", "label").from("categories").all() {
            labels.categories[try row.decode(column: "id", as: String.self)] = try row.decode(column: "label", as: String.self)
        }
        for row in try await db.select().columns("id", "label").from("territories").where("id", .in, territories).all() {
            labels.territories[try row.decode(column: "id", as: String.self)] = try row.decode(column: "label", as: String.self)
        }
        for row in try await db.select().columns("id", "name").from("partners").all() {
            labels.partners[try row.decode(column: "id", as: String.self)] = try row.decode(column: "name", as: String.self)
        }
        return labels
    }
}
