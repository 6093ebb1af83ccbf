import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

@Suite("Signalements: lists, filters and who sees what")
struct SignalementReadingTests {
    @Test("each role lists exactly what it may see", arguments: TestDatabases.engines)
    func visibility(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            func file(_ code: String, _ point: Position) async throws -> String {
                let category = try await f.category(code)
                let filed = try await store.createSignalement(NewSignalement(categoryId: category, description: code, location: point), by: resident)
                return filed.signalement.id
            }
            let lift = try await file("parties_communes", places.inQPV)  // bailleur A, QPV A
            let road = try await file("voirie", places.inCommuneA)  // ville A, commune A
            let rennes = try await file("parties_communes", places.inCommuneB)  // bailleur B, commune B
            func ids(_ role: Role) async throws -> Set<String> {
                Set(try await store.signalements(SignalementFilter(), page: try PageRequest(), by: try await f.actor(role)).items.map(\.id))
            }
            #expect(try await ids(.admin) == [lift, road, rennes])
            #expect(try await ids(.coordinator) == [lift, road])
            #expect(try await ids(.elected) == [lift, road])
            #expect(try await ids(.technician) == [lift])
            #expect(try await ids(.partnerSystem) == [lift])
            #expect(try await ids(.resident) == [lift, road, rennes])
            let technicianB = try await f.actor(of: f.technicianB)
            #expect(Set(try await store.signalements(SignalementFilter(), page: try PageRequest(), by: technicianB).items.map(\.id)) == [rennes])
            await #expect(throws: DomainError.notFound("signalement not found")) { try await store.signalement(lift, by: technicianB) }
        }
    }

    @Test("personal data shows only to those who may see it", arguments: TestDatabases.engines)
    func personalData(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let contact = ReporterContact(name: "Awa Diallo", email: "awa@example.org", phone: "06 12 34 56 78")
            let id = try await store.createSignalement(
                NewSignalement(
                    categoryId: try await f.category("parties_communes"), description: "fuite", location: places.inQPV, contact: contact),
                by: try await f.actor(.resident)
            ).signalement.id
            let other = try await store.registerResident(email: "autre@habitants.test", password: "long enough pw", displayName: nil)
            let otherResident = try await f.actor(of: other)
            for (actor, sees) in [
                (Fixture.root, true), (try await f.actor(.coordinator), true), (try await f.actor(.technician), true),
                (try await f.actor(.partnerSystem), true), (try await f.actor(.resident), true),
                (try await f.actor(.elected), false), (otherResident, false),
            ] {
                let one = try await store.signalement(id, by: actor)
                let listed = try await store.signalements(SignalementFilter(), page: try PageRequest(), by: actor).items.first { $0.id == id }
                // The contact only in the signalement itself, never in lists.
                #expect(one.contact == (sees ? contact : nil), "contact as \(actor.role)")
                #expect(listed?.contact == nil, "a list carries no contact (as \(actor.role))")
                for seen in [one, listed] {
                    #expect(seen?.reporterId == (sees ? f.users[.resident]!.id : nil), "reporter as \(actor.role)")
                }
                #expect(one.isMine == (actor.id == f.users[.resident]!.id))
            }
        }
    }

    @Test(
        "filters: status, category with subcategories, territory with those inside, partner, bbox, dates, overdue, mine",
        arguments: TestDatabases.engines)
    func filters(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let technician = try await f.actor(.technician)
            let start = clock.now()
            func file(_ code: String, _ point: Position, by actor: Actor? = nil) async throws -> String {
                let category = try await f.category(code)
                let filed = try await store.createSignalement(
                    NewSignalement(categoryId: category, description: code, location: point),
                    by: actor ?? resident)
                clock.advance(60)
                return filed.signalement.id
            }
            let fuite = try await file("fuite", places.inQPV)  // 4 h, no default partner: arbitration
            let tags = try await file("tags_injurieux", places.inQPV)  // 24 h, ville A
            let road = try await file("voirie", places.inCommuneA)  // 15 days, ville A
            let rennes = try await file("parties_communes", places.inCommuneB)  // 24 h, bailleur B
            let byTechnician = try await file("proprete", places.inCommuneA, by: technician)  // 48 h, ville A
            _ = try await store.assignSignalement(fuite, to: f.partnerA.id, note: nil, ifVersion: nil, by: Fixture.root)
            func ids(_ configure: (inout SignalementFilter) -> Void, by actor: Actor = Fixture.root) async throws -> [String] {
                var filter = SignalementFilter()
                configure(&filter)
                return try await store.signalements(filter, page: try PageRequest(), by: actor).items.map(\.id)
            }
            #expect(try await ids { $0.statuses = [.assigned] } == [fuite])
            #expect(try await ids { $0.statuses = [.assigned, .submitted] } == [fuite, tags, road, rennes, byTechnician])
            let tagsCategory = try await f.category("tags")
            #expect(try await ids { $0.categoryId = tagsCategory } == [tags])
            #expect(try await ids { $0.territoryId = f.communeA.id } == [fuite, tags, road, byTechnician])
            #expect(try await ids { $0.territoryId = f.qpvA.id } == [fuite, tags])
            #expect(try await ids { $0.partnerId = f.partnerB.id } == [rennes])
            #expect(try await ids { $0.territoryId = "ter_unknown" } == [])
            #expect(try await ids { $0.categoryId = "cat_unknown" } == [])
            #expect(try await ids { $0.bbox = BoundingBox(minLong: 4.85, minLat: 44.94, maxLong: 4.87, maxLat: 44.96) } == [road, byTechnician])
            #expect(try await ids { $0.createdSince = start.addingTimeInterval(120) } == [road, rennes, byTechnician])
            #expect(try await ids { $0.createdBefore = start.addingTimeInterval(60) } == [fuite])
            #expect(try await ids { $0.mine = true } == [])
            #expect(try await ids({ $0.mine = true }, by: resident) == [fuite, tags, road, rennes])
            #expect(try await ids({ $0.mine = true }, by: technician) == [byTechnician])
            #expect(try await ids { $0.overdue = true } == [])
            clock.advance(5 * 3_600)
            #expect(try await ids { $0.overdue = true } == [fuite])
            clock.advance(86_400)
            #expect(try await ids { $0.overdue = true } == [fuite, tags, rennes])
            _ = try await store.transitionSignalement(fuite, to: .resolved, note: nil, ifVersion: nil, by: technician)
            #expect(try await ids { $0.overdue = true } == [tags, rennes])
            #expect(try await ids { $0.overdue = false } == [fuite, road, byTechnician])
            #expect(try await ids { $0.updatedSince = clock.now() } == [fuite])
        }
    }

    @Test("pages follow creation order without gaps or repeats", arguments: TestDatabases.engines)
    func paging(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            var filed: [String] = []
            for index in 0..<7 {
                let category = try await f.category("proprete")
                let new = NewSignalement(categoryId: category, description: "dépôt \(index)", location: places.inQPV)
                filed.append(try await store.createSignalement(new, by: resident).signalement.id)
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await store.signalements(SignalementFilter(), page: try PageRequest(limit: 3, cursor: cursor), by: resident)
                seen += page.items.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == filed)
        }
    }
}
