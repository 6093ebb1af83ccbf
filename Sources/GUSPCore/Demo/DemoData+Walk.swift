import Foundation

extension DemoData {
    /// A diagnostic en marchant held a week ago in Les Hauts de Valence: its attendance, its
    /// observations, two of them converted (a signalement, an engagement) and its compte-rendu
    /// published, so that `GET /v1/walks/{id}/report` can be opened at once.
    static func loadWalk(
        into store: Store, territoryId: String, ville: Partner, bailleur: Partner, centreSocial: Partner, electedId: String
    ) async throws {
        let today = Commitment.parisCalendar.startOfDay(for: store.clock.now())
        let starts = today.addingTimeInterval(-7 * 86_400 + 14 * 3_600)
        let walk = try await store.createWalk(
            NewWalk(
                kind: .diagnostic, title: "Diagnostic en marchant des Hauts de Valence", territoryId: territoryId, startsAt: starts,
                endsAt: starts.addingTimeInterval(3 * 3_600), meetingPoint: "Parvis de la maison pour tous du Plan",
                routeJSON: Array(#"{"type":"LineString","coordinates":[[4.912,44.918],[4.918,44.922],[4.925,44.926]]}"#.utf8),
                stops: [
                    WalkStop(label: "Place du Plan", location: Position(long: 4.912, lat: 44.918)),
                    WalkStop(label: "Passage des Tilleuls", location: Position(long: 4.918, lat: 44.922)),
                    WalkStop(label: "Square de Fontbarlettes", location: Position(long: 4.925, lat: 44.926)),
                ],
                organiserPartnerId: ville.id, invitedPartnerIds: [bailleur.id, centreSocial.id], referentUserId: electedId),
            by: system)
        _ = try await store.transitionWalk(walk.id, to: .held, note: nil, ifVersion: nil, by: system)
        _ = try await store.setWalkAttendance(
            walk.id,
            counts: [
                AttendanceCount(role: .resident, ageBand: .adult, count: 11), AttendanceCount(role: .resident, ageBand: .senior, count: 5),
                AttendanceCount(role: .resident, ageBand: .youth, count: 3), AttendanceCount(role: .association, count: 2),
                AttendanceCount(role: .bailleur, count: 2), AttendanceCount(role: .ville, count: 3), AttendanceCount(role: .elected, count: 1),
            ],
            presentPartnerIds: [ville.id, bailleur.id, centreSocial.id], ifVersion: nil, by: system)
        let categories = try await store.categories(CategoryFilter(), page: try PageRequest(limit: 500), by: system).items
        func category(_ code: String) -> String { categories.first { $0.code == code }!.id }
        let outcomes = try await store.addObservations(
            walk.id,
            [
                NewObservation(
                    clientId: "demo-1", stop: 0, polarity: .negative, categoryId: category("encombrants"),
                    text: "Encombrants déposés au pied de l'allée 3 depuis plusieurs jours", proposal: "Un passage de collecte chaque lundi",
                    answers: ["proprete": "1"]),
                NewObservation(
                    clientId: "demo-2", stop: 1, polarity: .negative, theme: "lighting", text: "Le passage est très sombre dès la tombée de la nuit",
                    proposal: "Deux candélabres supplémentaires", answers: ["eclairage": "1", "securite": "2"]),
                NewObservation(clientId: "demo-3", stop: 1, polarity: .negative, theme: "signage", text: "Aucun panneau vers la maison pour tous"),
                NewObservation(
                    clientId: "demo-4", stop: 2, polarity: .positive, theme: "play_areas", text: "L'aire de jeux rénovée est très fréquentée",
                    answers: ["jeux": "4"]),
                NewObservation(
                    clientId: "demo-5", stop: 2, polarity: .negative, theme: "conviviality", text: "Pas de bancs à l'ombre pour les anciens"),
                NewObservation(
                    clientId: "demo-6", stop: 0, polarity: .positive, theme: "upkeep", text: "Les massifs de la place sont bien entretenus"),
                NewObservation(
                    clientId: "demo-7", location: Position(long: 4.921, lat: 44.924), polarity: .negative, categoryId: category("voirie"),
                    text: "Trottoir défoncé devant l'arrêt de bus"),
            ],
            by: system)
        let ids = outcomes.compactMap { $0.observation?.id }
        let due = LandParcel.day(of: today.addingTimeInterval(60 * 86_400))
        _ = try await store.convertObservations(
            walk.id,
            [
                ObservationConversion(observationId: ids[0], target: .signalement),
                ObservationConversion(
                    observationId: ids[1], target: .engagement, title: "Éclairer le passage des Tilleuls", leadPartnerId: ville.id,
                    partnerIds: [bailleur.id], dueDate: due, isPublic: true),
            ],
            by: system)
        _ = try await store.publishWalkReport(
            walk.id,
            summary: """
                Vingt-sept participants ont parcouru le Plan et Fontbarlettes : habitants, centre social, bailleur, services de la Ville \
                et l'élue référente.

                Les espaces verts et l'aire de jeux rénovée sont appréciés. Les dépôts d'encombrants et l'éclairage du passage des \
                Tilleuls sont les deux priorités : un signalement a été transmis et la Ville s'est engagée à éclairer le passage.
                """,
            ifVersion: nil, by: system)
    }
}
