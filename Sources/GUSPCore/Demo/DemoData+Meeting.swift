import Foundation

extension DemoData {
    /// A cellule de veille of Les Hauts de Valence held this morning: three dumps at one corner (a hot
    /// spot) and nocturnal gatherings reported this week, its agenda generated from them, two decisions
    /// (the bailleur takes the hot spot on, the city the gatherings) and its minutes written.
    static func loadMeeting(
        into store: Store, territoryId: String, ville: Partner, bailleur: Partner, centreSocial: Partner, conventionId: String?
    ) async throws {
        let categories = try await store.categories(CategoryFilter(), page: try PageRequest(limit: 500), by: system).items
        func category(_ code: String) -> String { categories.first { $0.code == code }!.id }
        for (index, text) in ["Sacs d'ordures au pied du 14", "Dépôt de cartons devant le local vélos", "Matelas abandonné au coin de la rue"]
            .enumerated()
        {
            _ = try await store.createSignalement(
                NewSignalement(
                    categoryId: category("proprete"), description: text, location: Position(long: 4.9236 + Double(index) * 0.0002, lat: 44.9168)),
                by: system)
        }
        _ = try await store.createSignalement(
            NewSignalement(
                categoryId: category("tranquillite"), description: "Rodéos de scooters le soir sur le parking",
                location: Position(long: 4.9150, lat: 44.9205)),
            by: system)
        let today = Commitment.parisCalendar.startOfDay(for: store.clock.now())
        let meeting = try await store.createMeeting(
            NewMeeting(
                kind: .celluleDeVeille, title: "Cellule de veille des Hauts de Valence", territoryIds: [territoryId], conventionId: conventionId,
                startsAt: today.addingTimeInterval(9 * 3_600), chairPartnerId: ville.id, invitedPartnerIds: [bailleur.id, centreSocial.id]),
            by: system)
        let agenda = try await store.generateAgenda(meeting.id, by: system)
        _ = try await store.transitionMeeting(meeting.id, to: .held, note: nil, ifVersion: nil, by: system)
        _ = try await store.updateMeeting(meeting.id, MeetingChanges(presentPartnerIds: [ville.id, bailleur.id]), ifVersion: nil, by: system)
        if let spot = agenda.first(where: { $0.kind == .hotSpot }) {
            _ = try await store.decide(
                meeting.id, itemId: spot.id,
                NewDecision(
                    kind: .engagement,
                    engagement: NewEngagement(
                        title: "Installer un abri à conteneurs au pied du 14", territoryId: territoryId, leadPartnerId: bailleur.id,
                        partnerIds: [ville.id], dueDate: LandParcel.day(of: today.addingTimeInterval(21 * 86_400)))),
                by: system)
        }
        if let quiet = agenda.first(where: { $0.kind == .tranquillite }) {
            _ = try await store.decide(
                meeting.id, itemId: quiet.id, NewDecision(kind: .assign, note: "Patrouilles de la police municipale en soirée", partnerId: ville.id),
                by: system)
        }
        _ = try await store.setMeetingMinutes(
            meeting.id,
            text: """
                La cellule a examiné les dépôts répétés au pied du 14 et les rodéos signalés sur le parking.

                Le bailleur installe un abri à conteneurs sous trois semaines ; la Ville organise des passages de la police municipale.
                """,
            visibility: .signatories, ifVersion: nil, by: system)
    }
}
