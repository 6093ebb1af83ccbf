import Foundation
import GUSPDatabase
import GUSPTestSupport
import Testing

@testable import GUSPCore

@Suite("Emails and phone numbers masked in descriptions")
struct ContactMaskTests {
    @Test(
        "emails and phone numbers are masked; dates, times, amounts and references are not",
        arguments: [
            ("rappelez-moi au 06 12 34 56 78 svp", "rappelez-moi au [numéro masqué] svp"),
            ("tel: 06.12.34.56.78.", "tel: [numéro masqué]."),
            ("+33 6 12 34 56 78 ou nadia.b@example.org", "[numéro masqué] ou [adresse masquée]"),
            ("écrire à jean-pierre+gusp@mairie-valence.fr.", "écrire à [adresse masquée]."),
            ("(0612345678)", "([numéro masqué])"),
            ("depuis le 12.03.2026 vers 21 h", "depuis le 12.03.2026 vers 21 h"),
            ("bâtiment B, 3e étage, 1 250 € de dégâts", "bâtiment B, 3e étage, 1 250 € de dégâts"),
            ("arrêt @ côté du 12", "arrêt @ côté du 12"),
        ])
    func masks(text: String, expected: String) {
        #expect(ContactMask.masked(text) == expected)
    }

    @Test(
        "the reporter and the handling staff read the description as typed; an elected official and Open311 read it masked",
        arguments: TestDatabases.engines)
    func views(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let typed = "Fuite au 12, appelez-moi au 06 12 34 56 78"
            let resident = try await f.actor(.resident)
            let filed = try await store.createSignalement(
                NewSignalement(categoryId: try await f.category("parties_communes"), description: typed, location: places.inQPV), by: resident)
            let id = filed.signalement.id
            #expect(filed.signalement.description == typed)
            #expect(try await store.signalement(id, by: try await f.actor(.coordinator)).description == typed)
            #expect(try await store.signalement(id, by: try await f.actor(.technician)).description == typed)
            #expect(try await store.signalement(id, by: try await f.actor(.elected)).description == "Fuite au 12, appelez-moi au [numéro masqué]")
            let listed = try await store.signalements(SignalementFilter(), page: try PageRequest(limit: 10), by: try await f.actor(.elected))
            #expect(listed.items.first?.description.contains("06 12") == false)
            let other = try await store.registerResident(email: "voisin@habitants.test", password: "long enough pw", displayName: nil)
            let neighbour = try await f.actor(of: other)
            #expect(try await store.signalement(id, by: neighbour).description.contains("[numéro masqué]"))
        }
    }
}
