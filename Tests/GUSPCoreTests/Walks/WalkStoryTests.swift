import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

/// A diagnostic en marchant from its plan to the restitution a month later.
@Suite("Walks")
struct WalkStoryTests {
    static let day: TimeInterval = 86_400
    /// 2026-09-22 14:00 and 17:00 in Paris.
    static let start = Date(timeIntervalSince1970: 1_790_078_400)
    static let end = Date(timeIntervalSince1970: 1_790_089_200)

    static func planned(_ f: Fixture, _ places: Contours, by coordinator: Actor) async throws -> Walk {
        try await f.store.createWalk(
            NewWalk(
                kind: .diagnostic, title: "Diagnostic en marchant des Hauts de Valence", territoryId: f.qpvA.id, startsAt: start,
                endsAt: end, meetingPoint: "Devant la maison de quartier",
                routeJSON: Array(#"{"type":"LineString","coordinates":[[4.906,44.926],[4.912,44.931],[4.918,44.938]]}"#.utf8),
                stops: [
                    WalkStop(label: "Place Pierre Mendès France", location: Position(long: 4.906, lat: 44.926)),
                    WalkStop(label: "Passage du 12", location: Position(long: 4.912, lat: 44.931)),
                    WalkStop(label: "Square des Tilleuls", location: Position(long: 4.918, lat: 44.938)),
                ],
                organiserPartnerId: places.villeA.id, invitedPartnerIds: [f.partnerA.id]),
            by: coordinator)
    }

    @Test("plan, hold, count, observe, convert, publish, and follow up a month later", arguments: TestDatabases.engines)
    func story(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let places = people.places
            let coordinator = try await f.actor(.coordinator)
            let technician = try await f.actor(.technician)
            let system = try await f.actor(.partnerSystem)
            let resident = try await f.actor(.resident)
            let elected = try await f.actor(.elected)
            let technicianB = try await f.actor(of: f.technicianB)
            let proprete = try await f.category("proprete")
            let voirie = try await f.category("voirie")
            _ = try await store.createLandParcel(
                NewLandParcel(
                    label: "Résidence Les Tilleuls", partnerId: f.partnerA.id, categoryIds: [proprete],
                    geometryJSON: Contours.rectangle(4.905, 44.925, 4.915, 44.935)), by: Fixture.root)
            // The signed convention promises 48 hours for cleanliness and 72 for the roads.
            _ = try await f.signedConvention(
                people,
                f.guspConvention(
                    people,
                    commitments: [
                        ServiceCommitment(categoryId: proprete, partnerId: nil, delay: Commitment(amount: 48, unit: .hours)),
                        ServiceCommitment(categoryId: voirie, partnerId: nil, delay: Commitment(amount: 72, unit: .hours)),
                    ]))

            let walk = try await Self.planned(f, places, by: coordinator)
            #expect(walk.id.hasPrefix("wlk_") && walk.status == .planned && walk.gridId == "grd_diagnostic" && walk.stops.count == 3)
            #expect(walk.routeJSON == #"{"coordinates":[[4.906,44.926],[4.912,44.931],[4.918,44.938]],"type":"LineString"}"#)
            // Residents do not see it before its report is published; a foreign partner not at all.
            await #expect(throws: DomainError.notFound("walk not found")) { try await store.walk(walk.id, by: resident) }
            await #expect(throws: DomainError.notFound("walk not found")) { try await store.walk(walk.id, by: technicianB) }

            // The walk ends at 17:00; the coordinator records it then.
            clock.advance(7 * 3_600)
            let held = try await store.transitionWalk(walk.id, to: .held, note: nil, ifVersion: walk.version, by: coordinator)
            let counted = try await store.setWalkAttendance(
                walk.id,
                counts: [
                    AttendanceCount(role: .resident, ageBand: .adult, count: 14), AttendanceCount(role: .resident, ageBand: .senior, count: 6),
                    AttendanceCount(role: .association, count: 3), AttendanceCount(role: .bailleur, count: 2),
                    AttendanceCount(role: .ville, count: 2), AttendanceCount(role: .elected, count: 1),
                ],
                presentPartnerIds: [f.partnerA.id, places.villeA.id], ifVersion: held.version, by: coordinator)
            #expect(counted.participantCount == 28 && counted.presentPartnerIds == [f.partnerA.id, places.villeA.id].sorted())

            // Ten observations from the bailleur's tablet; the grid's answers checked.
            var items: [NewObservation] = [
                NewObservation(
                    clientId: "t1-01", stop: 1, polarity: .negative, categoryId: proprete, text: "Dépôts sauvages au pied du 12",
                    proposal: "Un enclos à encombrants", answers: ["proprete": "1"]),
                NewObservation(
                    clientId: "t1-02", location: Position(long: 4.917, lat: 44.937), polarity: .negative, categoryId: voirie,
                    text: "Nid-de-poule devant le square"),
                NewObservation(
                    clientId: "t1-03", location: Position(long: 4.918, lat: 44.938), polarity: .negative, categoryId: voirie,
                    text: "Trottoir défoncé"),
                NewObservation(
                    clientId: "t1-04", location: Position(long: 4.919, lat: 44.939), polarity: .negative, categoryId: voirie,
                    text: "Bordure cassée"),
                NewObservation(
                    clientId: "t1-05", location: Position(long: 4.901, lat: 44.921), polarity: .negative, categoryId: voirie,
                    text: "Plaque d'égout descellée"),
                NewObservation(
                    clientId: "t1-06", stop: 1, polarity: .negative, theme: "lighting", text: "Passage très sombre le soir",
                    proposal: "Deux candélabres", answers: ["eclairage": "1"]),
                NewObservation(
                    clientId: "t1-07", stop: 2, polarity: .negative, theme: "conviviality", text: "Pas de bancs au square"),
                NewObservation(clientId: "t1-08", stop: 0, polarity: .positive, theme: "upkeep", text: "Massifs bien entretenus"),
                NewObservation(
                    clientId: "t1-09", stop: 2, polarity: .positive, theme: "play_areas", text: "Aire de jeux neuve, appréciée",
                    answers: ["jeux": "4"]),
                NewObservation(
                    clientId: "t1-10", stop: 0, polarity: .negative, theme: "feeling_of_safety",
                    text: "Regroupements le soir ; le gardien est joignable au 06 12 34 56 78"),
            ]
            let first = try await store.addObservations(walk.id, items, by: technician)
            #expect(first.allSatisfy { $0.observation != nil && !$0.replayed }, "\(first.compactMap(\.error))")
            // The tablet sends everything again with one more, bad, item: nothing twice, the bad one refused alone.
            items.append(NewObservation(clientId: "t1-11", stop: 0, polarity: .negative, theme: "lighting", text: "x", answers: ["eclairage": "5"]))
            let again = try await store.addObservations(walk.id, items, by: technician)
            #expect(again.prefix(10).allSatisfy { $0.replayed })
            #expect((again[10].error as? ValidationFailure)?.errors.map(\.field) == ["answers.eclairage"])
            let stored = try await store.observations(walk.id, page: try PageRequest(limit: 100), by: coordinator).items
            #expect(stored.count == 10)
            let byClient = Dictionary(uniqueKeysWithValues: stored.map { ($0.clientId, $0) })
            #expect(byClient["t1-01"]?.location == Position(long: 4.912, lat: 44.931), "at a stop, the stop's place")
            // A photo taken with the GPS on: stored without its EXIF, hidden from residents until published.
            let original = try TestData.bytes("photo-with-exif.jpg")
            #expect(original.contains(sequence: Array("Exif".utf8)) && original.contains(sequence: [0x88, 0x25]), "the GPS IFD pointer")
            let photo = try await store.addObservationPhoto(
                walkId: walk.id, observationId: byClient["t1-01"]!.id, bytes: original, declaredType: "image/jpeg", by: technician)
            let (_, kept) = try await store.walkPhoto(walkId: walk.id, photoId: photo.id, by: coordinator)
            #expect(!photo.isPublished && !kept.contains(sequence: Array("Exif".utf8)) && kept.starts(with: [0xFF, 0xD8]))
            await #expect(throws: ValidationFailure(field: "photo", message: "is not a JPEG or PNG image")) {
                try await store.addObservationPhoto(
                    walkId: walk.id, observationId: byClient["t1-01"]!.id, bytes: Array("GIF89a".utf8), declaredType: nil, by: technician)
            }
            await #expect(throws: DomainError.notFound("observation not found")) {
                try await store.addObservationPhoto(
                    walkId: walk.id, observationId: "obs_nope", bytes: original, declaredType: nil, by: technician)
            }
            // Elected officials observe nothing; a foreign bailleur's technician does not see the walk.
            await #expect(throws: DomainError.forbidden("your role (elected) may not do walk.observe")) {
                try await store.addObservations(
                    walk.id, [NewObservation(clientId: "e", stop: 0, polarity: .positive, theme: "upkeep", text: "x")], by: elected)
            }
            await #expect(throws: DomainError.notFound("walk not found")) {
                try await store.addObservations(
                    walk.id, [NewObservation(clientId: "b", stop: 0, polarity: .positive, theme: "upkeep", text: "x")], by: technicianB)
            }

            // Five become signalements, two engagements.
            let conversions = try await store.convertObservations(
                walk.id,
                ["t1-01", "t1-02", "t1-03", "t1-04", "t1-05"].map { ObservationConversion(observationId: byClient[$0]!.id, target: .signalement) }
                    + [
                        ObservationConversion(
                            observationId: byClient["t1-06"]!.id, target: .engagement, title: "Éclairer le passage du 12",
                            leadPartnerId: places.villeA.id, dueDate: "2026-12-31", isPublic: true),
                        ObservationConversion(
                            observationId: byClient["t1-07"]!.id, target: .engagement, leadPartnerId: places.villeA.id,
                            partnerIds: [f.partnerA.id], dueDate: "2027-03-31"),
                    ],
                by: coordinator)
            #expect(conversions.allSatisfy { $0.error == nil }, "\(conversions.compactMap(\.error))")
            let signalements = conversions.compactMap(\.signalement)
            #expect(signalements.count == 5 && conversions.compactMap(\.engagement).count == 2)
            #expect(signalements.allSatisfy { $0.channel == .walk && $0.territoryId == f.qpvA.id && $0.dueAt != nil })
            #expect(signalements[0].partnerId == f.partnerA.id, "inside the bailleur's parcel")
            #expect(signalements.dropFirst().allSatisfy { $0.partnerId == places.villeA.id })
            #expect(signalements[0].dueAt == signalements[0].createdAt + 48 * 3_600_000, "the convention's delay for cleanliness")
            #expect(signalements.dropFirst().allSatisfy { $0.dueAt == $0.createdAt + 72 * 3_600_000 }, "and for the roads")
            #expect(signalements[0].description.contains("Proposition : Un enclos à encombrants"))
            let engagement = conversions[5].engagement!
            #expect(engagement.source == .walk && engagement.sourceId == walk.id && engagement.territoryId == f.qpvA.id)
            #expect(conversions[6].engagement!.title == "Pas de bancs au square")
            let events = try await store.signalementEvents(signalements[0].id, page: try PageRequest(), by: coordinator).items
            #expect(events.contains { $0.action == "walk_observation" && ($0.note ?? "").contains(walk.id) })
            // Converted once: again is a conflict naming what it became.
            let twice = try await store.convertObservations(
                walk.id, [ObservationConversion(observationId: byClient["t1-01"]!.id, target: .signalement)], by: coordinator)
            #expect(twice[0].error as? DomainError == .conflict("the observation is already converted to signalement \(signalements[0].id)"))

            await #expect(throws: ValidationFailure(field: "to", message: "the report is published with its text, by report:publish")) {
                try await store.transitionWalk(walk.id, to: .reportPublished, note: nil, ifVersion: nil, by: coordinator)
            }
            await #expect(throws: DomainError.self) {
                try await store.publishWalkReport(walk.id, summary: "x", ifVersion: nil, by: technician)
            }
            // The compte-rendu goes out the next day.
            clock.advance(Self.day)
            let published = try await store.publishWalkReport(
                walk.id, summary: "Un quartier apprécié pour ses espaces verts.\n\nLa propreté au pied du 12 reste le premier sujet.",
                ifVersion: nil, by: coordinator)
            #expect(published.walk.status == .reportPublished && published.version == 1 && published.latestVersion == 1)
            #expect(published.summary?.hasPrefix("Un quartier") == true && published.participantCount == 28)
            // A corrected synthesis is version 2; version 1 stays as it was published.
            _ = try await store.publishWalkReport(walk.id, summary: "Synthèse corrigée.", ifVersion: nil, by: coordinator)
            #expect(try await store.walkReport(walk.id, asOf: nil, version: 1, by: coordinator).summary?.hasPrefix("Un quartier") == true)
            await #expect(throws: DomainError.notFound("version 3 of this report is not published")) {
                try await store.walkReport(walk.id, asOf: nil, version: 3, by: coordinator)
            }
            // An hour later the bailleur's system resolves its signalement by an intervention.
            clock.advance(3_600)
            _ = try await store.upsertIntervention(
                partnerId: f.partnerA.id, externalId: "VRH-ENC-1",
                InterventionReport(
                    kind: "enlevement_encombrants", status: .done, doneAt: clock.now().storedMilliseconds + 3_600_000,
                    territoryId: f.qpvA.id, signalementIds: [signalements[0].id]),
                by: system)

            clock.advance(29 * Self.day)
            let report = try await store.walkReport(walk.id, asOf: "2026-10-22", by: coordinator)
            let followed = report.followUps.filter { $0.target == .signalement }
            #expect(followed.count == 5 && followed.filter(\.finished).count == 1)
            #expect(followed.first { $0.finished }?.id == signalements[0].id && followed.first { $0.finished }?.withinCommitment == true)
            let promises = report.followUps.filter { $0.target == .engagement }
            #expect(promises.count == 2 && promises.allSatisfy { !$0.finished && $0.status == "planned" && $0.withinCommitment == true })
            #expect(report.positiveCount == 2 && report.negativeCount == 8)
            #expect(report.themes.first { $0.theme == "lighting" } == ThemeCount(theme: "lighting", positive: 0, negative: 1))
            // The report as it stood on the day of the walk: nothing resolved yet.
            let before = try await store.walkReport(walk.id, asOf: "2026-09-22", by: coordinator)
            #expect(before.followUps.count == 7 && before.followUps.filter(\.finished).isEmpty)

            // What a participant receives: the printable page and its Markdown, with the figures of that day.
            let page = report.html
            #expect(page.contains(#"<strong id="participants">28</strong>"#) && page.contains(#"<html lang="fr">"#))
            #expect(page.contains(#"<strong id="signalements">1 sur 5 résolus</strong>"#))
            #expect(page.contains(#"<strong id="engagements">0 sur 2 réalisés</strong>"#))
            #expect(page.contains("Version 2, publiée le 23 septembre 2026") && page.contains("suivi des suites au 22 octobre 2026"))
            #expect(page.contains("<p>Synthèse corrigée.</p>") && page.contains("Arrêt 2 : Passage du 12"))
            #expect(!page.contains("<script") && !page.contains("src=") && !page.contains("href="), "self-contained")
            #expect(report.markdown.contains("| Habitants (14 adultes, 6 seniors) | 20 |"))
            #expect(report.markdown.contains("Signalements : 1 sur 5 résolus. Engagements : 0 sur 2 réalisés."))

            // A resident reads the published report, contacts masked, photos only once published.
            let seen = try await store.walkReport(walk.id, asOf: nil, by: resident)
            #expect(seen.version == 2 && seen.summary == "Synthèse corrigée.")
            #expect(seen.observations.contains { $0.text.contains("[numéro masqué]") })
            #expect(!seen.observations.contains { $0.text.contains("06 12 34 56 78") } && !seen.html.contains("06 12 34 56 78"))
            #expect(seen.observations.allSatisfy { $0.photos.isEmpty })
            await #expect(throws: DomainError.notFound("photo not found")) {
                try await store.walkPhoto(walkId: walk.id, photoId: photo.id, by: resident)
            }
            await #expect(throws: DomainError.self) {
                try await store.publishWalkPhoto(walkId: walk.id, photoId: photo.id, published: true, by: technician)
            }
            #expect(try await store.publishWalkPhoto(walkId: walk.id, photoId: photo.id, published: true, by: coordinator).isPublished)
            let withPhoto = try await store.walkReport(walk.id, asOf: nil, by: resident)
            #expect(withPhoto.observations.first { $0.clientId == "t1-01" }?.photos.map(\.id) == [photo.id])
            #expect(try await store.walkPhoto(walkId: walk.id, photoId: photo.id, by: resident).1 == kept)
            #expect(try await store.walks(WalkFilter(), page: try PageRequest(), by: resident).items.map(\.id) == [walk.id])

            // Ten days later the city has lit the passage, well before its due date.
            clock.advance(10 * Self.day)
            _ = try await store.updateEngagement(engagement.id, EngagementChanges(status: .done), ifVersion: nil, by: coordinator)
            // The indicators of September, as computed by hand.
            func figure(_ code: String, _ grouping: IndicatorGrouping? = nil, by actor: Actor? = nil) async throws -> IndicatorResult {
                try await store.indicator(code, IndicatorQuery(from: "2026-09-01", to: "2026-09-30", groupBy: grouping), by: actor ?? coordinator)
            }
            #expect(try await figure("walks_held").total.value == 1)
            #expect(try await figure("walks_held", .kind).rows == [IndicatorRow(key: "diagnostic", value: 1, sample: 1)])
            #expect(try await figure("walks_held", .month).rows.map(\.value) == [1])
            #expect(try await figure("walk_participants").total.value == 28)
            let roles = try await figure("walk_participants", .role).rows
            #expect(roles.first { $0.key == "resident" }?.value == 20 && roles.first { $0.key == "association" }?.value == 3)
            #expect(
                try await figure("walk_participants", .ageBand).rows.map { "\($0.key)=\(Int($0.value ?? -1))" } == ["adult=14", "none=8", "senior=6"])
            #expect(try await figure("walk_observations", .polarity).rows.map(\.value) == [8, 2])
            #expect(try await figure("walk_observations", .theme).rows.first { $0.key == "voirie" }?.value == 4)
            let converted = try await figure("walk_negative_converted_rate").total
            #expect(converted.value == 0.875 && converted.sample == 8, "7 of the 8 dysfunctions became a signalement or an engagement")
            let firstPublication = try await store.walkReport(walk.id, asOf: nil, version: 1, by: coordinator).publishedAt!
            let delay = try await figure("walk_days_to_report").total
            #expect(firstPublication - walk.startsAt == 27 * 3_600_000, "from 14:00 to 17:00 the next day")
            #expect(delay.value == 1.125 && delay.sample == 1)
            // The shares at 90 days exist once the walk is 90 days old (22 December).
            #expect(try await figure("walk_engagements_done_90_days").total == IndicatorRow(key: "total", value: nil, sample: 0))
            clock.advance(52 * Self.day)
            for code in ["walk_engagements_done_90_days", "walk_engagements_on_time_90_days"] {
                #expect(try await figure(code).total == IndicatorRow(key: "total", value: 0.5, sample: 2), "\(code): one of two")
            }
            #expect(try await figure("walk_engagements_done_180_days").total.sample == 0)
            // Each reader counts what it may see: a resident the published walk; a foreign bailleur nothing.
            #expect(try await figure("walks_held", by: resident).total.value == 1)
            #expect(try await figure("walk_participants", by: technicianB).total.value == 0)
            #expect(try await figure("walks_held", .territory, by: elected).rows.map(\.key) == [f.qpvA.id])
            await #expect(throws: ValidationFailure.self) { try await figure("walks_held", .role) }
        }
    }

    @Test("bad plans, observations and conversions are refused, each named, nothing written", arguments: TestDatabases.engines)
    func badInput(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let coordinator = try await f.actor(.coordinator)
            await #expect(throws: ValidationFailure(field: "stops[0].location", message: "must lie within the walk's territory")) {
                try await store.createWalk(
                    NewWalk(
                        kind: .exploratory, title: "Marche de nuit", territoryId: f.qpvA.id, startsAt: Self.start, endsAt: Self.end,
                        timeOfDay: .night, stops: [WalkStop(label: "Rennes", location: places.inCommuneB)],
                        organiserPartnerId: places.villeA.id),
                    by: coordinator)
            }
            await #expect(throws: ValidationFailure(field: "route", message: "must be a GeoJSON LineString")) {
                try await store.createWalk(
                    NewWalk(
                        kind: .diagnostic, title: "X", territoryId: f.qpvA.id, startsAt: Self.start, endsAt: Self.end,
                        routeJSON: Array(#"{"type":"Point","coordinates":[4.9,44.9]}"#.utf8), organiserPartnerId: places.villeA.id),
                    by: coordinator)
            }
            await #expect(throws: DomainError.self) {
                try await store.createWalk(
                    NewWalk(
                        kind: .diagnostic, title: "X", territoryId: f.qpvA.id, startsAt: Self.start, endsAt: Self.end,
                        organiserPartnerId: places.villeA.id),
                    by: try await f.actor(.technician))
            }
            let walk = try await Self.planned(f, places, by: coordinator)
            let technician = try await f.actor(.technician)
            await #expect(throws: ValidationFailure(field: "items", message: "must hold 1 to 500 observations")) {
                try await store.addObservations(
                    walk.id, (0...500).map { NewObservation(clientId: "c\($0)", stop: 0, polarity: .positive, theme: "upkeep", text: "x") },
                    by: technician)
            }
            let outcome = try await store.addObservations(
                walk.id,
                [
                    NewObservation(clientId: "a", stop: 9, polarity: .negative, theme: "upkeep", text: "x"),
                    NewObservation(clientId: "b", location: places.inCommuneB, polarity: .negative, theme: "upkeep", text: "x"),
                    NewObservation(clientId: "c", stop: 0, polarity: .negative, theme: "weather", text: "x"),
                    NewObservation(clientId: "d", stop: 0, polarity: .negative, theme: "upkeep", text: "x", answers: ["meteo": "1"]),
                ], by: technician)
            #expect(outcome.map { ($0.error as? ValidationFailure)?.errors.first?.field } == ["stop", "location", "theme", "answers.meteo"])
            #expect(try await store.observations(walk.id, page: try PageRequest(), by: coordinator).items.isEmpty)
            // A planned walk converts nothing; a cancelled one takes no observations.
            await #expect(throws: DomainError.self) {
                try await store.convertObservations(walk.id, [ObservationConversion(observationId: "obs_x", target: .signalement)], by: coordinator)
            }
            await #expect(throws: ValidationFailure(field: "note", message: "is required")) {
                try await store.transitionWalk(walk.id, to: .cancelled, note: nil, ifVersion: nil, by: coordinator)
            }
            _ = try await store.transitionWalk(walk.id, to: .cancelled, note: "Alerte orange", ifVersion: nil, by: coordinator)
            await #expect(throws: DomainError.conflict("a walk that is cancelled takes no more observations")) {
                try await store.addObservations(
                    walk.id, [NewObservation(clientId: "z", stop: 0, polarity: .positive, theme: "upkeep", text: "x")], by: technician)
            }
            await #expect(throws: DomainError.conflict("a walk that is cancelled cannot become held")) {
                try await store.transitionWalk(walk.id, to: .held, note: nil, ifVersion: nil, by: coordinator)
            }
        }
    }
}
