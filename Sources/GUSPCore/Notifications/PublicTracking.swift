import Foundation
import SQLKit

/// Where a signalement stands, for anyone holding its reference: no description, photo, address,
/// position or person. A tranquillité signalement shows only its state and dates.
public struct PublicSignalement: Sendable, Equatable {
    public struct Label: Sendable, Equatable {
        public var code: String
        public var label: String

        public init(code: String, label: String) {
            self.code = code
            self.label = label
        }
    }

    public struct PublicComment: Sendable, Equatable {
        /// Who wrote, as a resident reads it: "Le partenaire", "La coordination", "Le résident".
        public var author: String
        public var body: String
        public var createdAt: Int64
    }

    public var reference: String
    /// Nil for a confidential (tranquillité) signalement.
    public var category: Label?
    public var quartier: Label?
    public var status: SignalementStatus
    public var statusLabel: String
    public var filedAt: Int64
    public var dueAt: Int64?
    /// Whether it was (or, open, still is) within its commitment; nil without a due date.
    public var withinCommitment: Bool?
    public var resolvedAt: Int64?
    /// The reference it was merged into.
    public var mergedInto: String?
    public var comments: [PublicComment]
}

extension Store {
    /// The public view of the signalement with this reference (404 for none).
    public func publicSignalement(reference typed: String) async throws -> PublicSignalement {
        guard let reference = PublicReference.normalized(typed) else { throw DomainError.notFound("aucun signalement ne porte cette référence") }
        let now = nowMilliseconds
        let snapshot = try await referenceSnapshot()
        return try await database.read { db in
            guard let row = try await db.select().column("id").from("signalements").where("reference", .equal, reference).first(),
                let loaded = try await Self.loadSignalement(try row.decode(column: "id", as: String.self), db)
            else { throw DomainError.notFound("aucun signalement ne porte cette référence") }
            let signalement = loaded.signalement
            let confidential = snapshot.isTranquillite(signalement.categoryId)
            var view = PublicSignalement(
                reference: signalement.reference, category: nil, quartier: nil, status: signalement.status,
                statusLabel: SignalementNotice.statusLabels[signalement.status] ?? signalement.status.rawValue, filedAt: signalement.createdAt,
                dueAt: signalement.dueAt, withinCommitment: Self.withinCommitment(signalement, now: now), resolvedAt: signalement.resolvedAt,
                mergedInto: nil, comments: [])
            if let original = signalement.duplicateOf {
                view.mergedInto = try await db.select().column("reference").from("signalements").where("id", .equal, original).first()?
                    .decode(column: "reference", as: String.self)
            }
            guard !confidential else { return view }
            if let category = try await db.select().columns("code", "label").from("categories").where("id", .equal, signalement.categoryId).first() {
                view.category = .init(
                    code: try category.decode(column: "code", as: String.self), label: try category.decode(column: "label", as: String.self))
            }
            if let territory = signalement.territoryId,
                let row = try await db.select().columns("code", "label").from("territories").where("id", .equal, territory).first()
            {
                view.quartier = .init(code: try row.decode(column: "code", as: String.self), label: try row.decode(column: "label", as: String.self))
            }
            let comments = try await db.select().columns("body", "author_role", "author_partner_id", "created_at").from("signalement_comments")
                .where("signalement_id", .equal, signalement.id).where("visibility", .equal, CommentVisibility.public.rawValue)
                .orderBy("created_at").orderBy("id").limit(200).all()
            view.comments = try comments.map { row in
                let role = Role(rawValue: try row.decode(column: "author_role", as: String.self)) ?? .resident
                let author =
                    switch role {
                    case .resident: "Le résident"
                    case .coordinator, .admin: "La coordination"
                    case .elected: "Un élu"
                    case .technician, .partnerSystem: "Le partenaire"
                    }
                // Public, but written by hand: an address or a number typed into it is not repeated here.
                return .init(
                    author: author, body: ContactMask.masked(try row.decode(column: "body", as: String.self)),
                    createdAt: try row.decode(column: "created_at", as: Int64.self))
            }
            return view
        }
    }

    static func withinCommitment(_ signalement: Signalement, now: Int64) -> Bool? {
        guard let due = signalement.dueAt else { return nil }
        if let resolved = signalement.resolvedAt { return resolved <= due }
        if signalement.status.isOpen { return now <= due }
        return signalement.closedAt.map { $0 <= due }
    }
}
