import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

@Suite("Signalements: intake and routing")
struct SignalementIntakeTests {
    @Test("a resident's signalement is placed in the QPV, routed to the city for roads, due in 15 days", arguments: TestDatabases.engines)
    func residentFiles(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let filed = try await store.createSignalement(
                NewSignalement(
                    categoryId: try await f.category("voirie"), description: "Nid de poule devant l'école",
                    location: places.inQPV, contact: ReporterContact(name: "Awa", phone: "06 12 34 56 78")), by: resident)
            let signalement = filed.signalement
            #expect(signalement.status == .submitted)
            #expect(signalement.channel == .app)
            #expect(signalement.territoryId == f.qpvA.id)
            #expect(signalement.partnerId == places.villeA.id)
            #expect(signalement.reporterId == resident.id)
            #expect(signalement.isMine)
            #expect(signalement.contact == ReporterContact(name: "Awa", phone: "06 12 34 56 78"))
            #expect(signalement.dueAt == clock.now().addingTimeInterval(15 * 86_400).storedMilliseconds)
            #expect(filed.possibleDuplicates.isEmpty)
            let events = try await store.signalementEvents(signalement.id, page: try PageRequest(), by: Fixture.root)
            #expect(events.items.map(\.action) == ["created"])
            #expect(events.items[0].toStatus == "submitted")
            #expect(events.items[0].note == "routing: default partner (ville)")
        }
    }

    @Test("routing: land parcel first, then the category's partner kind, else arbitration", arguments: TestDatabases.engines)
    func routing(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let technician = try await f.actor(.technician)
            func route(_ code: String, at point: Position) async throws -> Signalement {
                let category = try await f.category(code)
                let filed = try await store.createSignalement(
                    NewSignalement(categoryId: category, description: "constat", location: point),
                    by: technician)
                return filed.signalement
            }
            // The bailleur of the QPV takes common areas; nobody of that kind in the rest of the commune.
            #expect(try await route("parties_communes", at: places.inQPV).partnerId == f.partnerA.id)
            let orphan = try await route("parties_communes", at: places.inCommuneA)
            #expect(orphan.partnerId == nil)
            #expect(orphan.status == .needsArbitration)
            // No default kind: the watch meeting decides.
            #expect(try await route("tranquillite", at: places.inQPV).status == .needsArbitration)
            // A parcel of the bailleur covering cleanliness takes it from the city, subcategories included.
            _ = try await store.createLandParcel(
                NewLandParcel(
                    label: "Résidence Les Tilleuls", partnerId: f.partnerA.id,
                    categoryIds: [try await f.category("proprete"), try await f.category("tags")],
                    geometryJSON: Contours.rectangle(4.905, 44.925, 4.915, 44.935)), by: Fixture.root)
            #expect(try await route("proprete", at: places.inQPV).partnerId == f.partnerA.id)
            #expect(try await route("tags_injurieux", at: places.inQPV).partnerId == f.partnerA.id)
            #expect(try await route("voirie", at: places.inQPV).partnerId == places.villeA.id)
            // Two partners claiming the same spot: arbitration.
            _ = try await store.createLandParcel(
                NewLandParcel(
                    label: "Voirie communale", partnerId: places.villeA.id, geometryJSON: Contours.rectangle(4.90, 44.92, 4.92, 44.94)),
                by: Fixture.root)
            #expect(try await route("proprete", at: places.inQPV).status == .needsArbitration)
            // A parcel that is no longer valid does not count: common areas outside the QPV still go to arbitration.
            _ = try await store.createLandParcel(
                NewLandParcel(
                    label: "Ancienne concession", partnerId: places.villeA.id, categoryIds: [try await f.category("parties_communes")],
                    geometryJSON: Contours.rectangle(4.85, 44.94, 4.87, 44.96), validFrom: "2001-01-01", validTo: "2002-12-31"), by: Fixture.root)
            #expect(try await route("parties_communes", at: places.inCommuneA).status == .needsArbitration)
        }
    }

    @Test("a point outside every territory is refused unless the deployment accepts it", arguments: TestDatabases.engines)
    func outside(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let new = NewSignalement(categoryId: try await f.category("voirie"), description: "ici", location: places.nowhere)
            await #expect(throws: ValidationFailure(field: "location", message: "is outside every territory this deployment serves")) {
                try await store.createSignalement(new, by: try await f.actor(.resident))
            }
            #expect(try await store.signalements(SignalementFilter(), page: try PageRequest(), by: Fixture.root).items.isEmpty)
        }
        var settings = Store.Settings()
        settings.acceptOutsideTerritories = true
        try await TestDatabases.withStore(engine, settings: settings) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let filed = try await store.createSignalement(
                NewSignalement(categoryId: try await f.category("voirie"), description: "ici", location: places.nowhere),
                by: try await f.actor(.resident)
            ).signalement
            #expect(filed.territoryId == nil)
            #expect(filed.status == .needsArbitration)
            // Any coordinator can arbitrate what lies outside every territory.
            let coordinatorB = try await f.actor(of: f.coordinatorB)
            #expect(try await store.signalement(filed.id, by: coordinatorB).id == filed.id)
        }
    }

    @Test("bad input is refused and writes nothing", arguments: TestDatabases.engines)
    func badInput(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let voirie = try await f.category("voirie")
            func refusal(_ new: NewSignalement, by actor: Actor? = nil) async throws -> [String] {
                do {
                    _ = try await store.createSignalement(new, by: actor ?? resident)
                    return []
                } catch let failure as ValidationFailure {
                    return failure.errors.map(\.field)
                }
            }
            #expect(try await refusal(NewSignalement(categoryId: "cat_nope", description: "x", location: places.inQPV)) == ["category_id"])
            #expect(try await refusal(NewSignalement(categoryId: voirie, description: "  ", location: places.inQPV)) == ["description"])
            #expect(
                try await refusal(
                    NewSignalement(
                        categoryId: voirie, description: String(repeating: "a", count: 4_001),
                        location: places.inQPV)) == ["description"])
            // 4,000 characters are counted as characters, not bytes; control characters (C0, DEL, C1) are not plain text
            // (two signalements are written here).
            #expect(
                try await refusal(
                    NewSignalement(
                        categoryId: voirie, description: String(repeating: "é🚮", count: 2_000),
                        location: places.inQPV)) == [])
            #expect(
                try await refusal(
                    NewSignalement(
                        categoryId: voirie, description: String(repeating: "é", count: 4_001),
                        location: places.inQPV)) == ["description"])
            for control in ["\u{0}", "\u{1B}", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}"] {
                #expect(
                    try await refusal(NewSignalement(categoryId: voirie, description: "tag \(control) ici", location: places.inQPV))
                        == ["description"], "U+\(String(control.unicodeScalars.first!.value, radix: 16))")
            }
            #expect(
                try await refusal(NewSignalement(categoryId: voirie, description: "ligne\r\n\tsuite\u{A0}\u{2028}", location: places.inQPV)) == [])
            #expect(try await refusal(NewSignalement(categoryId: voirie, description: "x")) == ["location"])
            #expect(
                try await refusal(NewSignalement(categoryId: voirie, description: "x", location: Position(long: 200, lat: 44))) == ["location.long"])
            #expect(try await refusal(NewSignalement(categoryId: voirie, channel: .phone, description: "x", location: places.inQPV)) == ["channel"])
            #expect(
                try await refusal(
                    NewSignalement(
                        categoryId: voirie, description: "x", location: places.inQPV,
                        contact: ReporterContact(email: "pas-un-email"))) == ["contact.email"])
            #expect(
                try await refusal(
                    NewSignalement(
                        categoryId: voirie, description: "x", location: places.inQPV,
                        territoryId: f.qpvA.id), by: try await f.actor(.technician)) == ["territory_id"])
            // Residents neither choose the quartier nor the priority.
            #expect(
                try await refusal(
                    NewSignalement(
                        categoryId: voirie, description: "x", address: "12 rue des Alpes",
                        territoryId: f.qpvA.id, priority: .urgent)) == ["territory_id", "priority"])
            // A category residents may not file; a technician may.
            let restricted = try await store.createCategory(
                NewCategory(
                    code: "amiante", label: "Amiante", parentId: nil,
                    commitment: nil, residentFileable: false), by: Fixture.root)
            #expect(try await refusal(NewSignalement(categoryId: restricted.id, description: "x", location: places.inQPV)) == ["category_id"])
            #expect(
                try await refusal(
                    NewSignalement(categoryId: restricted.id, description: "x", location: places.inQPV),
                    by: try await f.actor(.technician)) == [])
            // Elected officials do not file.
            await #expect(throws: DomainError.forbidden("your role (elected) may not do signalement.create")) {
                try await store.createSignalement(
                    NewSignalement(categoryId: voirie, description: "x", location: places.inQPV),
                    by: try await f.actor(.elected))
            }
            // Written: the technician's, and the two plain-text descriptions that were accepted.
            #expect(try await store.signalements(SignalementFilter(), page: try PageRequest(), by: Fixture.root).items.count == 3)
            // An address alone is accepted, unplaced, for a coordinator to place.
            let unplaced = try await store.createSignalement(
                NewSignalement(categoryId: voirie, description: "x", address: "place de la Mairie"),
                by: resident
            ).signalement
            #expect(unplaced.territoryId == nil)
            #expect(unplaced.status == .needsArbitration)
        }
    }

    @Test("a technician files by phone for a resident, with a territory and an address only", arguments: TestDatabases.engines)
    func onBehalf(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            _ = try await f.drawContours()
            let technician = try await f.actor(.technician)
            let filed = try await store.createSignalement(
                NewSignalement(
                    categoryId: try await f.category("parties_communes"), channel: .phone, description: "Ascenseur en panne",
                    address: "12 rue des Alpes", territoryId: f.qpvA.id, contact: ReporterContact(name: "M. Martin", phone: "04 75 00 00 00")),
                by: technician
            ).signalement
            #expect(filed.channel == .phone)
            #expect(filed.reporterId == nil)
            #expect(filed.partnerId == f.partnerA.id)
            #expect(filed.contact?.name == "M. Martin")
            #expect(filed.location == nil)
        }
    }
}
