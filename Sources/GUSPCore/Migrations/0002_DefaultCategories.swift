import Foundation
import SQLKit

extension Migration {
    /// The default categories and commitments of the field (see `docs/architecture.md`, Categories); each
    /// convention may later override them. Frozen: the delays and their units are written out as stored.
    static let defaultCategories = Migration(2, "default categories") { db, _ in
        let now = Date().storedMilliseconds
        var ids: [String: String] = [:]
        for seed in CategorySeed.defaults {
            let id = Identifier.make("cat")
            ids[seed.code] = id
            try await db.insert(into: "categories")
                .columns(
                    "id", "code", "label", "parent_id", "commitment_amount", "commitment_unit",
                    "resident_fileable", "version", "created_at", "updated_at"
                )
                .values(
                    SQLBind(id), SQLBind(seed.code), SQLBind(seed.label), SQLBind(seed.parent.flatMap { ids[$0] }),
                    SQLBind(seed.commitment?.amount), SQLBind(seed.commitment?.unit),
                    SQLBind(1), SQLBind(1), SQLBind(now), SQLBind(now)
                )
                .run()
        }
    }
}

struct CategorySeed {
    let code: String
    let label: String
    let parent: String?
    /// The delay as stored: an amount and a unit (`hours`, `days`, `business_days`).
    let commitment: (amount: Int, unit: String)?

    init(_ code: String, _ label: String, parent: String? = nil, _ commitment: (amount: Int, unit: String)?) {
        self.code = code
        self.label = label
        self.parent = parent
        self.commitment = commitment
    }

    static let defaults: [CategorySeed] = [
        .init("proprete", "Propreté, dépôts sauvages", (48, "hours")),
        .init("encombrants", "Encombrants", (48, "hours")),
        .init("tags", "Tags", (15, "days")),
        .init("tags_injurieux", "Tags injurieux", parent: "tags", (24, "hours")),
        .init("eclairage", "Éclairage public", (5, "business_days")),
        .init("voirie", "Voirie, signalisation", (15, "days")),
        .init("espaces_verts", "Espaces verts, aires de jeux", (15, "days")),
        .init("epaves", "Stationnement, épaves", (5, "days")),
        .init("parties_communes", "Parties communes, ascenseurs", (24, "hours")),
        .init("fuite", "Fuite d'eau importante", (4, "hours")),
        .init("nuisibles", "Nuisibles", (5, "business_days")),
        // No delay: goes to the watch meeting. Emergencies are 17/112, not this API.
        .init("tranquillite", "Tranquillité, sécurité", nil),
    ]
}
