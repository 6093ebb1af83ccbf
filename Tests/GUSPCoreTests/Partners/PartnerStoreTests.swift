import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import SQLKit
import Testing

@Suite("Partner store")
struct PartnerStoreTests {
    @Test("SIREN, names, emails, phones and territories are validated; nothing partial is written", arguments: TestDatabases.engines)
    func validation(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let root = Fixture.root
            do {
                _ = try await store.createPartner(
                    NewPartner(
                        kind: .bailleur, name: "", siren: "732829321", territoryIds: ["ter_x"],
                        contactEmail: "not-an-email", contactPhone: "call me"), by: root)
                Issue.record("an invalid partner was accepted")
            } catch let failure as ValidationFailure {
                #expect(Set(failure.errors.map(\.field)) == ["name", "siren", "contact_email", "contact_phone"])
            }
            await #expect(throws: ValidationFailure(field: "territory_ids", message: "unknown territories: ter_missing")) {
                try await store.createPartner(NewPartner(kind: .ville, name: "Ville", territoryIds: ["ter_missing"]), by: root)
            }
            let count = try await store.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM partners").first()!.decode(column: "n", as: Int.self)
            }
            #expect(count == 0)
            let valid = try await store.createPartner(NewPartner(kind: .bailleur, name: "Office", siren: "732829320"), by: root)
            #expect(valid.siren == "732829320")
        }
    }

    @Test("SQL-looking input is stored verbatim", arguments: TestDatabases.engines)
    func verbatim(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let name = "Robert'); DROP TABLE partners;-- \"%_"
            let partner = try await store.createPartner(NewPartner(kind: .association, name: name), by: Fixture.root)
            #expect(try await store.partner(partner.id, by: Fixture.root).name == name)
        }
    }

    @Test("a coordinator creates and changes partners only within their territories", arguments: TestDatabases.engines)
    func coordinatorScope(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let fixture = try await Fixture.make(store)
            let coordinator = try await fixture.actor(.coordinator)
            let own = try await store.createPartner(
                NewPartner(kind: .association, name: "Régie de quartier", territoryIds: [fixture.qpvA.id]), by: coordinator)
            await #expect(throws: DomainError.forbidden("a coordinator creates partners working in their own territories")) {
                try await store.createPartner(NewPartner(kind: .association, name: "Ailleurs", territoryIds: [fixture.communeB.id]), by: coordinator)
            }
            await #expect(throws: DomainError.forbidden("a coordinator keeps partners in their own territories")) {
                try await store.updatePartner(own.id, PartnerChanges(territoryIds: [fixture.communeB.id]), ifVersion: nil, by: coordinator)
            }
            let renamed = try await store.updatePartner(own.id, PartnerChanges(name: "Régie"), ifVersion: 1, by: coordinator)
            #expect(renamed.name == "Régie")
            #expect(renamed.version == 2)
        }
    }

    @Test("a partner with users cannot be deleted; changes are events without values", arguments: TestDatabases.engines)
    func deletionAndEvents(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let fixture = try await Fixture.make(store)
            await #expect(throws: DomainError.conflict("the partner still has users; move or delete them first")) {
                try await store.deletePartner(fixture.partnerA.id, by: Fixture.root)
            }
            _ = try await store.updatePartner(
                fixture.partnerA.id, PartnerChanges(contactEmail: .some("gardien@vrh.example")),
                ifVersion: nil, by: Fixture.root)
            let events = try await store.events(resourceType: .partner, resourceId: fixture.partnerA.id, page: try PageRequest(), by: Fixture.root)
            #expect(events.items.map(\.action) == ["created", "updated"])
            #expect(events.items.last?.changes == ["contact_email"])
            #expect(events.items.last?.actorId == Fixture.root.id)
        }
    }
}

@Suite("Partner referents")
struct PartnerReferentTests {
    @Test("a referent who leaves the partner or is deleted is no longer its referent, with a new version", arguments: TestDatabases.engines)
    func referentLeaves(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let fixture = try await Fixture.make(store)
            let technician = fixture.users[.technician]!
            let set = try await store.updatePartner(
                fixture.partnerA.id, PartnerChanges(referentUserId: .some(technician.id)),
                ifVersion: nil, by: Fixture.root)
            #expect(set.referentUserId == technician.id)
            await #expect(throws: ValidationFailure(field: "referent_user_id", message: "must be a user of this partner")) {
                try await store.updatePartner(
                    fixture.partnerB.id, PartnerChanges(referentUserId: .some(technician.id)),
                    ifVersion: nil, by: Fixture.root)
            }
            _ = try await store.updateUser(technician.id, UserChanges(partnerId: .some(fixture.partnerB.id)), ifVersion: nil, by: Fixture.root)
            let after = try await store.partner(fixture.partnerA.id, by: Fixture.root)
            #expect(after.referentUserId == nil)
            #expect(after.version == set.version + 1)
        }
    }
}
