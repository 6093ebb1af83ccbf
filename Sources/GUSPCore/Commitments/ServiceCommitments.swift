import Foundation
import SQLKit

/// A signed, not terminated convention, as commitments need it: its period, its territories and the
/// commitments of the version in force.
struct ConventionInForce: Sendable {
    var id: String
    var startDate: String
    var endDate: String
    var territoryIds: Set<String>
    /// A general commitment binds the signatories only.
    var signatoryIds: Set<String>
    var commitments: [ServiceCommitment]
    var escalation: ConventionEscalation?
    /// When the version in force took effect ("latest version" wins a tie).
    var versionInForceAt: Int64

    static func load(_ db: any SQLDatabase) async throws -> [ConventionInForce] {
        let rows = try await db.select()
            .column(SQLColumn("id", table: "c")).column(SQLColumn("start_date", table: "c")).column(SQLColumn("end_date", table: "c"))
            .column(SQLColumn("content", table: "c")).column(SQLColumn("in_force_at", table: "v"))
            .from(SQLAlias(SQLIdentifier("conventions"), as: SQLIdentifier("c")))
            .join(
                SQLAlias(SQLIdentifier("convention_versions"), as: SQLIdentifier("v")),
                on: SQLBinaryExpression(
                    SQLBinaryExpression(SQLColumn("convention_id", table: "v"), .equal, SQLColumn("id", table: "c")), .and,
                    SQLBinaryExpression(SQLColumn("number", table: "v"), .equal, SQLColumn("version", table: "c")))
            )
            .where(SQLColumn("state", table: "c"), .equal, SQLBind(ConventionState.signed.rawValue))
            .orderBy(SQLColumn("id", table: "c")).all()
        let ids = try rows.map { try $0.decode(column: "id", as: String.self) }
        let signatories = try await Store.conventionSignatories(ids, db)
        return try rows.map { row in
            let id = try row.decode(column: "id", as: String.self)
            let content = try JSONDecoder().decode(ConventionContent.self, from: Data(try row.decode(column: "content", as: String.self).utf8))
            return ConventionInForce(
                id: id, startDate: try row.decode(column: "start_date", as: String.self),
                endDate: try row.decode(column: "end_date", as: String.self), territoryIds: Set(content.territoryIds),
                signatoryIds: Set(signatories[id] ?? []), commitments: content.serviceCommitments, escalation: content.escalation,
                versionInForceAt: try row.decode(column: "in_force_at", as: Int64?.self) ?? 0)
        }
    }
}

/// The one place that says which service commitment applies to a signalement, and so its due date.
///
/// Candidates are the commitments of conventions in force on the day the due date is computed (signed,
/// not terminated, today within their period) that cover one of the signalement's territory or the
/// territories above it, its category or a category above it, and either every signatory or the partner
/// it is routed to, when that partner signed the convention (a partner is bound only by what it signed;
/// a signalement in arbitration, routed to nobody, keeps the category's default). The winner is, in this order: the one whose territory is nearest (most specific);
/// then a partner-specific one over a general one; then the nearest category; then the version that
/// took effect last; then the convention id (so that the choice never depends on reading order).
/// Without a candidate, the category's own default commitment applies.
///
/// The delay is always counted from the filing time. It is computed when a signalement is filed and
/// again when a person changes its category or its assignment (an event records that change); an
/// amendment or a new convention never moves the due dates already stored.
package enum ServiceCommitments {
    struct Applied: Equatable {
        var commitment: Commitment
        /// The convention it comes from; nil for the category's default.
        var conventionId: String?
    }

    static func applicable(
        _ categories: CategoryChain, territoryId: String?, partnerId: String?, on day: String,
        reference: ReferenceSnapshot
    ) -> Applied? {
        let territories = territoryId.map(reference.territoryChain) ?? []
        var best: (rank: (Int, Int, Int, Int64, String), applied: Applied)?
        for convention in reference.conventions where convention.startDate <= day && day <= convention.endDate {
            guard let territoryDepth = territories.firstIndex(where: convention.territoryIds.contains) else { continue }
            // A partner is bound only by what it signed: its own commitments, or the general ones.
            guard let partnerId, convention.signatoryIds.contains(partnerId) else { continue }
            for commitment in convention.commitments {
                guard let categoryDepth = categories.ids.firstIndex(of: commitment.categoryId) else { continue }
                if let partner = commitment.partnerId, partner != partnerId { continue }
                let rank = (territoryDepth, commitment.partnerId == nil ? 1 : 0, categoryDepth, -convention.versionInForceAt, convention.id)
                if best == nil || rank < best!.rank {
                    best = (rank, Applied(commitment: commitment.delay, conventionId: convention.id))
                }
            }
        }
        return best?.applied ?? categories.commitment.map { Applied(commitment: $0, conventionId: nil) }
    }

    /// The due date, counted from `filedAt` with the commitment applicable at `now`.
    package static func dueDate(
        _ categories: CategoryChain, territoryId: String?, partnerId: String?, filedAt: Int64, now: Int64,
        reference: ReferenceSnapshot
    ) -> Int64? {
        // The calendar day costs a little; filings without any convention in force skip it.
        let day = reference.conventions.isEmpty ? "" : LandParcel.day(of: Date(storedMilliseconds: now))
        return applicable(categories, territoryId: territoryId, partnerId: partnerId, on: day, reference: reference)?
            .commitment.dueDate(from: Date(storedMilliseconds: filedAt)).storedMilliseconds
    }
}
