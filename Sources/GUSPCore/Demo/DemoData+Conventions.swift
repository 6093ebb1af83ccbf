import Foundation

extension DemoData {
    /// The GUSP convention of Valence (the city and the bailleur, over the four QPVs, with service
    /// commitments and two fiches-actions) and the bailleur's ATFPB convention with its 2026 programme,
    /// both signed; the bailleur's signature is its director's, an account that gets no demo token.
    static func loadConventions(
        into store: Store, ville: Partner, bailleur: Partner, electedId: String, qpvIds: [String],
        password: String
    ) async throws {
        let director = try await store.createUser(
            NewUser(
                email: "direction@vrh.example", displayName: "Direction, Valence Romans Habitat", password: password, role: .coordinator,
                partnerId: bailleur.id, territoryIds: qpvIds), by: system)
        let signers = [
            Actor(kind: .user, id: electedId, role: .elected, partnerId: ville.id, territoryIds: Set(qpvIds), tokenId: "demo", tokenExpiresAt: .max),
            Actor(
                kind: .user, id: director.id, role: .coordinator, partnerId: bailleur.id, territoryIds: Set(qpvIds), tokenId: "demo",
                tokenExpiresAt: .max),
        ]
        let categories = try await store.categories(CategoryFilter(), page: try PageRequest(limit: 500), by: system).items
        func category(_ code: String) -> String { categories.first { $0.code == code }!.id }
        let gusp = try await store.createConvention(
            NewConvention(
                kind: .gusp, title: "Convention GUSP de Valence 2024-2027", summary: "Cadre de vie, propreté et tranquillité dans les quatre QPV",
                startDate: "2024-07-01", endDate: "2027-06-30", territoryIds: qpvIds, signatoryIds: [ville.id, bailleur.id],
                axes: [
                    ConventionAxis(code: "1", title: "Propreté et gestion des déchets"),
                    ConventionAxis(code: "2", title: "Tranquillité résidentielle"),
                ],
                serviceCommitments: [
                    ServiceCommitment(categoryId: category("parties_communes"), partnerId: bailleur.id, delay: Commitment(amount: 24, unit: .hours)),
                    ServiceCommitment(categoryId: category("encombrants"), partnerId: nil, delay: Commitment(amount: 72, unit: .hours)),
                ],
                actionSheets: [
                    ActionSheetDraft(
                        axis: "1", title: "Sur-entretien des halls et abords", objective: "Halls et abords propres chaque matin",
                        leadPartnerId: bailleur.id, partnerIds: [ville.id], startDate: "2024-09-01", endDate: "2027-06-30",
                        budgetCents: 4_500_000, indicators: [ActionSheetIndicator(label: "halls conformes à la visite mensuelle", target: "90 %")]),
                    ActionSheetDraft(
                        axis: "2", title: "Diagnostics en marchant", objective: "Deux diagnostics par an et par quartier",
                        leadPartnerId: ville.id, partnerIds: [bailleur.id], budgetCents: 0,
                        indicators: [ActionSheetIndicator(label: "diagnostics tenus", target: "8 par an")]),
                ]), by: system)
        let atfpb = try await store.createConvention(
            NewConvention(
                kind: .atfpb, title: "Convention ATFPB Valence Romans Habitat 2025-2030", startDate: "2025-01-01", endDate: "2030-12-31",
                territoryIds: qpvIds, signatoryIds: [bailleur.id, ville.id], bailleurId: bailleur.id), by: system)
        for convention in [gusp, atfpb] {
            for signer in signers { _ = try await store.signConvention(convention.id, by: signer) }
        }
        _ = try await store.replaceAtfpbProgramme(
            conventionId: atfpb.id, year: 2026,
            qpvIds.flatMap { qpv in
                [
                    AtfpbProgrammeLine(axis: 1, territoryId: qpv, plannedCents: 3_000_000, actions: "Gardiens supplémentaires"),
                    AtfpbProgrammeLine(axis: 3, territoryId: qpv, plannedCents: 1_800_000, actions: "Sur-entretien des parties communes"),
                    AtfpbProgrammeLine(axis: 5, territoryId: qpv, plannedCents: 900_000, actions: "Médiation de soirée"),
                ]
            }, by: system)
    }
}
