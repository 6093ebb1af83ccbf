import Foundation
import SQLKit

extension Store {
    /// How often an alert's digest goes out.
    static let digestInterval: Int64 = 86_400_000
    /// A digest covers filings up to this long before it runs: a filing is stamped before its group commit,
    /// and one committed just after a digest must fall in the next, not between the two.
    static let digestMargin: Int64 = 60_000
    /// A digest lists this many signalements and counts the rest.
    static let digestListed = 30

    /// Sends the daily digest of every alert due: the signalements filed in its area since the last one
    /// (reference, category, status; never a description, place or person; never tranquillité), one
    /// message when there are any. Returns how many alerts it looked at.
    public func sendAlertDigests(limit: Int = 100) async throws -> Int {
        let residents = settings.residents
        guard residents.mail != nil else { return 0 }
        let now = nowMilliseconds
        let snapshot = try await referenceSnapshot()
        let confidential = snapshot.tranquilliteCategories
        return try await database.write { db in
            var query = SQLQueryString(
                """
                SELECT a.*, u.email FROM area_alerts a JOIN users u ON u.id = a.user_id
                WHERE a.last_digest_at <= \(bind: now - Self.digestMargin - Self.digestInterval) ORDER BY a.last_digest_at LIMIT \(bind: limit)
                """)
            if self.database.engine == .postgres { query.appendLiteral(" FOR UPDATE OF a SKIP LOCKED") }
            let rows = try await db.raw(query).all()
            let labels = rows.isEmpty ? [:] : try await Self.categoryLabels(db)
            for row in rows {
                let alert = try Self.areaAlert(row)
                let email = try row.decode(column: "email", as: String.self)
                let userId = try row.decode(column: "user_id", as: String.self)
                let until = now - Self.digestMargin
                try await db.update("area_alerts").set("last_digest_at", to: until).where("id", .equal, alert.id).run()
                let found = try await Self.digestSignalements(
                    alert, since: alert.lastDigestAt, until: until, snapshot: snapshot, excluding: confidential, db)
                guard !found.isEmpty,
                    let recipient = try await NotificationOutbox.unsuppressed([MailRecipient(address: email, userId: userId)], db).first
                else { continue }
                let listed = found.prefix(Self.digestListed)
                var paragraphs = [
                    "\(found.count) nouveau\(found.count > 1 ? "x" : "") signalement\(found.count > 1 ? "s" : "") depuis hier dans la zone que vous suivez\(alert.label.map { " (\($0))" } ?? "") :"
                ]
                if found.count > listed.count { paragraphs.append("Voici les \(listed.count) premiers.") }
                let content = MailContent(
                    subject: "Nouveaux signalements\(alert.label.map { " : \($0)" } ?? " dans votre quartier")", title: "Nouveaux signalements",
                    paragraphs: paragraphs,
                    facts: listed.map {
                        MailContent.Fact(
                            label: $0.reference,
                            value: "\(labels[$0.categoryId] ?? "Signalement"), \(SignalementNotice.statusLabels[$0.status] ?? $0.status.rawValue)")
                    },
                    actions: [], reason: "Vous recevez ce message parce que vous avez créé une alerte sur cette zone.")
                try await NotificationOutbox.queue(.alertDigest, content, to: recipient, signalementId: nil, settings: residents, at: now, db)
            }
            return rows.count
        }
    }

    struct DigestEntry {
        var reference: String
        var categoryId: String
        var status: SignalementStatus
    }

    static func digestSignalements(
        _ alert: AreaAlert, since: Int64, until: Int64, snapshot: ReferenceSnapshot, excluding confidential: Set<String>, _ db: any SQLDatabase
    ) async throws -> [DigestEntry] {
        let query = db.select().columns("reference", "category_id", "status").from("signalements")
            .where("created_at", .greaterThanOrEqual, since).where("created_at", .lessThan, until)
        if let territory = alert.territoryId {
            query.where("territory_id", .in, Array(snapshot.descendants(of: [territory]).union([territory])))
        }
        if let box = alert.bbox {
            query.where("lat", .greaterThanOrEqual, box.minLat).where("lat", .lessThanOrEqual, box.maxLat)
                .where("long", .greaterThanOrEqual, box.minLong).where("long", .lessThanOrEqual, box.maxLong)
        }
        if !alert.categoryIds.isEmpty {
            var wanted = Set<String>()
            for category in alert.categoryIds {
                wanted.formUnion(snapshot.categories.keys.filter { snapshot.categoryChain($0).links.contains { $0.id == category } })
            }
            query.where("category_id", .in, Array(wanted.subtracting(confidential)).sorted() + ["-"])
        } else if !confidential.isEmpty {
            query.where("category_id", .notIn, Array(confidential))
        }
        return try await query.orderBy("created_at").orderBy("id").limit(1_000).all().map { row in
            DigestEntry(
                reference: try row.decode(column: "reference", as: String.self), categoryId: try row.decode(column: "category_id", as: String.self),
                status: SignalementStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .submitted)
        }
    }

    static func categoryLabels(_ db: any SQLDatabase) async throws -> [String: String] {
        var labels: [String: String] = [:]
        for row in try await db.select().columns("id", "label").from("categories").all() {
            labels[try row.decode(column: "id", as: String.self)] = try row.decode(column: "label", as: String.self)
        }
        return labels
    }
}
