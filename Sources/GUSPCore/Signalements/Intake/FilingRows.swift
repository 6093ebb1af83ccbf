import GUSPDatabase
import SQLKit

/// The rows one filing writes, described once (by the request that files, not by the one writer) and
/// written through SQLKit on either engine or through the direct SQLite writer.
struct FilingRows: Sendable {
    /// Its rows, table by table, in the order they are written: the signalement before what refers to it.
    let tables: [TableRows]
    /// Its outbox message, written only if a subscription is active (see `Outbox`): its row (the webhook
    /// body's text) is made then, by the writer, not by every filing.
    let message: OutboxMessage
    /// Its share of the indicator rollups.
    let rollups: [IndicatorCell: IndicatorMeasures]

    init(
        signalement: Signalement, filedBy: String, followerId: String?, eventId: String, actorId: String, actorRole: Role,
        eventNote: String, idempotency: TableRows? = nil
    ) {
        (tables, message) = Self.tables(
            signalement, filedBy: filedBy, followerId: followerId,
            event: Event(
                id: eventId, resourceType: .signalement, resourceId: signalement.id, action: "created", actorId: actorId, actorRole: actorRole,
                changes: [], occurredAt: signalement.createdAt, toStatus: signalement.status.rawValue, note: eventNote),
            idempotency: idempotency)
        rollups = IndicatorContribution.of(IndicatorRollups.facts(signalement))
    }

    static func insert(_ filings: [FilingRows], _ db: any SQLDatabase) async throws {
        for rows in merged(filings) { try await rows.insert(db) }
        try await Outbox.append(filings.map(\.message), db)
        try await IndicatorRollups.add(rollups(filings), db)
    }

    static func insert(_ filings: [FilingRows], _ db: DirectSQLite) throws {
        for rows in merged(filings) { try db.insert(rows) }
        if try db.exists(Outbox.anySubscriptionQuery) { try db.insert(mergedOutbox(filings)) }
        try IndicatorRollups.add(rollups(filings), db)
    }

    /// Each table's rows of every filing, one insert per table.
    static func merged(_ filings: [FilingRows]) -> [TableRows] {
        guard var tables = filings.first?.tables else { return [] }
        for filing in filings.dropFirst() {
            for index in tables.indices { tables[index].rows += filing.tables[index].rows }
        }
        return tables
    }

    static func mergedOutbox(_ filings: [FilingRows]) -> TableRows {
        Outbox.rows(filings.map(\.message))
    }

    /// The filings' shares of the rollups, summed by cell.
    static func rollups(_ filings: [FilingRows]) -> [IndicatorCell: IndicatorMeasures] {
        var counted: [IndicatorCell: IndicatorMeasures] = [:]
        for filing in filings {
            for (cell, measures) in filing.rollups { counted[cell, default: .init()] += measures }
        }
        return counted
    }

    private static func tables(
        _ s: Signalement, filedBy: String, followerId: String?, event: Event, idempotency: TableRows?
    ) -> ([TableRows], OutboxMessage) {
        var signalements = TableRows("signalements", Store.signalementColumns)
        signalements.append([
            .text(s.id), .text(s.categoryId), .text(s.status.rawValue), .text(s.priority.rawValue), .text(s.channel.rawValue),
            .text(s.description), .real(s.location?.lat), .real(s.location?.long),
            .integer(s.location.map(GroundDistance.cell(of:))), .text(s.address), .text(s.territoryId),
            .text(s.partnerId), .text(s.reporterId), .text(filedBy), .integer(s.dueAt), .text(nil), .integer(0),
            .integer(nil), .integer(nil), .integer(1), .integer(s.createdAt), .integer(s.updatedAt),
            .integer(s.escalation.level), .integer(s.escalation.cycle), .integer(s.escalation.dueAt), .integer(s.escalation.nextAt),
            .flag(s.history.reopened), .flag(s.history.arbitrated), .flag(s.history.recurring), .text(s.reference),
        ])
        var contacts = TableRows("signalement_contacts", ["signalement_id", "name", "email", "phone", "notify", "created_at"])
        if let contact = s.contact {
            contacts.append([
                .text(s.id), .text(contact.name), .text(contact.email), .text(contact.phone), .flag(contact.notify), .integer(s.createdAt),
            ])
        }
        var followers = TableRows("signalement_followers", ["signalement_id", "user_id", "created_at"])
        if let followerId {
            followers.append([.text(s.id), .text(followerId), .integer(s.createdAt)])
        }
        let message = OutboxMessage(
            .signalementCreated, .signalement, s.id, partners: [s.partnerId],
            data: [
                "signalement_id": .text(s.id), "category_id": .text(s.categoryId), "status": .text(s.status.rawValue),
                "partner_id": .optional(s.partnerId), "territory_id": .optional(s.territoryId), "channel": .text(s.channel.rawValue),
                "due_at": .time(s.dueAt),
            ], at: s.createdAt)
        // Every filing has the same tables, in the same order (`merged`): no record is an empty one.
        let records = idempotency ?? TableRows("idempotency_records", IdempotentRequest.claimColumns + IdempotentRequest.answerColumns)
        return ([signalements, contacts, followers, EventLog.rows([event]), records], message)
    }
}
