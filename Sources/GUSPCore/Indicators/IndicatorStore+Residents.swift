import Foundation
import SQLKit

extension Store {
    /// What residents were told and what they answered: the questionnaires sent during the period
    /// (answered, confirmed fixed, reopened by their answer), read within the reader's reach by the
    /// signalement's territory and partner; and the messages sent during the period, by kind.
    static func residentTallies(
        _ definition: IndicatorDefinition, _ query: IndicatorQuery, range: (start: Int64, end: Int64), actor: Actor, reference: ReferenceSnapshot,
        _ db: any SQLDatabase
    ) async throws -> IndicatorTallies {
        var tallies = IndicatorTallies()
        if definition.code == "notifications_sent" {
            // Counted for the whole deployment: messages name no territory or partner one could filter on.
            guard actor.role == .admin || actor.role == .coordinator else {
                throw DomainError.forbidden("the messages sent are counted for the coordination and admins")
            }
            if query.territoryId != nil || query.partnerId != nil || query.categoryId != nil {
                throw ValidationFailure(field: "territory", message: "notifications_sent is counted for the whole deployment: no filter applies")
            }
            let select = db.select().columns("kind", "sent_at").from("notifications").where("status", .equal, NotificationStatus.sent.rawValue)
                .where("sent_at", .greaterThanOrEqual, range.start).where("sent_at", .lessThan, range.end)
            for row in try await select.all() {
                let day = ParisPeriods.day(ofMilliseconds: try row.decode(column: "sent_at", as: Int64.self))
                var tally = IndicatorTally()
                tally.count = 1
                let key: String? =
                    switch query.groupBy {
                    case nil: nil
                    case .kind?: try row.decode(column: "kind", as: String.self)
                    case let grouping?: grouping.isPeriod ? ParisPeriods.key(ofDay: day, grouping) : "none"
                    }
                tallies.add(key, tally)
            }
            return tallies
        }
        let select = db.select().columns("status", "answer", "outcome", "territory_id", "partner_id", "category_id", "created_at")
            .from("feedback_requests").where("created_at", .greaterThanOrEqual, range.start).where("created_at", .lessThan, range.end)
        guard select.reachable(by: actor, .readIndicator, unplacedToCoordinators: true) else { return tallies }
        filterIndicatorRows(select, query, reference: reference)
        for row in try await select.all() {
            let settled = try row.decode(column: "status", as: String.self) == FeedbackStatus.settled.rawValue
            let answer = try row.decode(column: "answer", as: String?.self).flatMap(FeedbackAnswer.init(rawValue:))
            let outcome = try row.decode(column: "outcome", as: String?.self).flatMap(FeedbackOutcome.init(rawValue:))
            var tally = IndicatorTally()
            switch definition.code {
            case "feedback_response_rate":
                tally.count = 1
                tally.done = settled ? 1 : 0
            case "feedback_fixed_rate":
                guard settled, answer != nil else { continue }
                tally.count = 1
                tally.done = answer == .fixed ? 1 : 0
            default:  // reopened_after_feedback
                guard outcome == .reopened else { continue }
                tally.count = 1
            }
            let key = indicatorKey(
                query.groupBy, day: ParisPeriods.day(ofMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
                territory: try row.decode(column: "territory_id", as: String?.self), partner: try row.decode(column: "partner_id", as: String?.self),
                category: try row.decode(column: "category_id", as: String.self))
            tallies.add(key, tally)
        }
        return tallies
    }

    /// The intake indicators by channel: the signalements filed during the period, read within the
    /// reader's reach and filters, and what each contributes to the rollups on its filing day — the
    /// same contribution the rollups sum (`IndicatorContribution`), which the rollups cannot split by
    /// channel. A test checks that the channels add up to the rollups' total.
    static func channelTallies(
        _ query: IndicatorQuery, range: (start: Int64, end: Int64), actor: Actor, reference: ReferenceSnapshot, _ db: any SQLDatabase
    ) async throws -> IndicatorTallies {
        var tallies = IndicatorTallies()
        var after: PageCursor?
        while true {
            let select = db.select().columns(signalementColumns.map { SQLColumn($0, table: "signalements") }).from("signalements")
                .where("created_at", .greaterThanOrEqual, range.start).where("created_at", .lessThan, range.end)
            guard select.reachable(by: actor, .readIndicator, unplacedToCoordinators: true) else { return tallies }
            filterIndicatorRows(select, query, reference: reference)
            var page = try PageRequest(limit: 500)
            page.after = after
            let rows = try await select.paged(page, table: "signalements").all().map(SignalementRow.init)
            for row in rows.prefix(500) {
                let signalement = try row.signalement()
                let day = ParisPeriods.day(ofMilliseconds: signalement.createdAt)
                for (cell, measures) in IndicatorContribution.of(IndicatorRollups.facts(signalement)) where cell.day == day {
                    var tally = IndicatorTally()
                    tally.measures = measures
                    tallies.add(signalement.channel.rawValue, tally)
                }
            }
            guard rows.count > 500, let last = rows.prefix(500).last else { break }
            after = PageCursor(createdAt: last.createdAt, id: last.id)
        }
        return tallies
    }
}
