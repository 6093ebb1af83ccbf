import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

@Suite("Possible duplicates show only what the filer may read")
struct DuplicateVisibilityTests {
    @Test(
        "another partner's technician filing at the same spot learns nothing of partner A's report; A's own staff and residents do",
        arguments: TestDatabases.engines)
    func foreignDuplicates(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let lift = try await f.category("parties_communes")  // goes to the bailleur of QPV A, partner A
            let first = try await store.createSignalement(
                NewSignalement(categoryId: lift, description: "ascenseur en panne", location: places.inQPV), by: try await f.actor(.resident))
            #expect(first.signalement.partnerId == f.partnerA.id)
            let foreign = try await store.createSignalement(
                NewSignalement(categoryId: lift, description: "ascenseur", location: places.inQPV), by: try await f.actor(of: f.technicianB))
            #expect(foreign.possibleDuplicates.isEmpty, "partner B's technician sees \(foreign.possibleDuplicates.map(\.id))")
            let own = try await store.createSignalement(
                NewSignalement(categoryId: lift, description: "ascenseur", location: places.inQPV), by: try await f.actor(.technician))
            #expect(own.possibleDuplicates.map(\.id).contains(first.signalement.id))
            let resident = try await store.createSignalement(
                NewSignalement(categoryId: lift, description: "toujours en panne", location: places.inQPV), by: try await f.actor(.resident))
            #expect(resident.possibleDuplicates.map(\.id).contains(first.signalement.id))
        }
    }
}
