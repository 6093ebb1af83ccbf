import Foundation
import GUSPCore

/// The people who sign conventions over QPV A: the city (an elected official of Valence) and bailleur A
/// (a coordinator of partner A); with the contours, so that signalements route.
public struct Signatories: Sendable {
    public let places: Contours
    public var ville: Partner { places.villeA }
    public let electedVille: User
    public let bailleurCoordinator: User
    /// An elected official of partner B: signs nothing of side A.
    public let electedB: User
}

extension Fixture {
    public func signatories() async throws -> Signatories {
        let places = try await drawContours()
        let elected = try await store.createUser(
            NewUser(
                email: "maire@valence.test", displayName: "Maire", password: password, role: .elected,
                partnerId: places.villeA.id, territoryIds: [communeA.id]), by: Self.root)
        let coordinator = try await store.createUser(
            NewUser(
                email: "direction@vrh.test", displayName: "Direction VRH", password: password,
                role: .coordinator, partnerId: partnerA.id, territoryIds: [qpvA.id]), by: Self.root)
        let electedB = try await store.createUser(
            NewUser(
                email: "maire@rennes.test", displayName: "Maire B", password: password, role: .elected,
                partnerId: partnerB.id, territoryIds: [communeB.id]), by: Self.root)
        return Signatories(places: places, electedVille: elected, bailleurCoordinator: coordinator, electedB: electedB)
    }

    /// A GUSP convention over QPV A for 2026–2028, signed by the city and bailleur A, with one fiche-action led by A.
    public func guspConvention(
        _ people: Signatories, commitments: [ServiceCommitment] = [], start: String = "2026-01-01",
        end: String = "2028-12-31", territories: [String]? = nil
    ) -> NewConvention {
        NewConvention(
            kind: .gusp, title: "Convention GUSP des Hauts de Valence", summary: "Cadre de vie et tranquillité", startDate: start, endDate: end,
            territoryIds: territories ?? [qpvA.id], signatoryIds: [people.ville.id, partnerA.id],
            axes: [ConventionAxis(code: "A1", title: "Propreté des espaces extérieurs")], serviceCommitments: commitments,
            actionSheets: [
                ActionSheetDraft(
                    axis: "A1", title: "Sur-entretien des halls", objective: "Halls propres chaque matin",
                    leadPartnerId: partnerA.id, partnerIds: [people.ville.id], startDate: "2026-02-01",
                    endDate: "2026-12-31", budgetCents: 1_500_000,
                    indicators: [ActionSheetIndicator(label: "halls nettoyés", target: "100 %")])
            ])
    }

    /// Creates the convention as the coordinator of A and has both signatories sign it.
    public func signedConvention(_ people: Signatories, _ new: NewConvention) async throws -> Convention {
        let draft = try await store.createConvention(new, by: try await actor(.coordinator))
        _ = try await store.signConvention(draft.id, by: try await actor(of: people.electedVille))
        return try await store.signConvention(draft.id, by: try await actor(of: people.bailleurCoordinator)).convention
    }
}
