import Foundation
import SQLKit

extension Migration {
    /// The default categories and commitments of DOMAIN.md; each convention may later override them.
    static let defaultCategories = Migration(2, "default categories") { db, _ in
        let now = Date().storedMilliseconds
        var ids: [String: String] = [:]
        for seed in CategorySeed.defaults {
            let id = Identifier.make("cat")
            ids[seed.code] = id
            try await db.insert(into: "categories")
                .columns("id", "code", "label", "parent_id", "commitment_amount", "commitment_unit",
                         "resident_fileable", "version", "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(seed.code), SQLBind(seed.label), SQLBind(seed.parent.flatMap { ids[$0] }),
                        SQLBind(seed.commitment?.amount), SQLBind(seed.commitment?.unit.rawValue),
                        SQLBind(1), SQLBind(1), SQLBind(now), SQLBind(now))
                .run()
        }
    }
}

struct CategorySeed {
    let code: String
    let label: String
    let parent: String?
    let commitment: Commitment?

    init(_ code: String, _ label: String, parent: String? = nil, _ commitment: Commitment?) {
        self.code = code
        self.label = label
        self.parent = parent
        self.commitment = commitment
    }

    static let defaults: [CategorySeed] = [
        .init("proprete", "Propreté, dépôts sauvages", .init(amount: 48, unit: .hours)),
        .init("encombrants", "Encombrants", .init(amount: 48, unit: .hours)),
        .init("tags", "Tags", .init(amount: 15, unit: .days)),
        .init("tags_injurieux", "Tags injurieux", parent: "tags", .init(amount: 24, unit: .hours)),
        .init("eclairage", "Éclairage public", .init(amount: 5, unit: .businessDays)),
        .init("voirie", "Voirie, signalisation", .init(amount: 15, unit: .days)),
        .init("espaces_verts", "Espaces verts, aires de jeux", .init(amount: 15, unit: .days)),
        .init("epaves", "Stationnement, épaves", .init(amount: 5, unit: .days)),
        .init("parties_communes", "Parties communes, ascenseurs", .init(amount: 24, unit: .hours)),
        .init("fuite", "Fuite d'eau importante", .init(amount: 4, unit: .hours)),
        .init("nuisibles", "Nuisibles", .init(amount: 5, unit: .businessDays)),
        // No delay: goes to the watch meeting. Emergencies are 17/112, not this API.
        .init("tranquillite", "Tranquillité, sécurité", nil),
    ]
}
