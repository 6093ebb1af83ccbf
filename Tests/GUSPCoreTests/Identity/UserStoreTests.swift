import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

@Suite("User store")
struct UserStoreTests {
    @Test("emails are unique whatever their case", arguments: TestDatabases.engines)
    func uniqueEmail(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            _ = try await store.registerResident(email: "Nadia@Example.org", password: "long enough pw", displayName: nil)
            await #expect(throws: DomainError.conflict("an account with this email already exists")) {
                try await store.registerResident(email: "nadia@example.ORG", password: "long enough pw", displayName: nil)
            }
            let token = try await store.logIn(email: "NADIA@example.org", password: "long enough pw", tokenName: nil)
            #expect(token.secret.hasPrefix("gusp_pat_"))
        }
    }

    @Test("each role is bound as it must be", arguments: TestDatabases.engines)
    func bindings(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let root = Fixture.root
            await #expect(throws: ValidationFailure(field: "partner_id", message: "is required for a technician")) {
                try await store.createUser(NewUser(email: "t@x.fr", role: .technician), by: root)
            }
            await #expect(throws: ValidationFailure(field: "territory_ids", message: "must name at least one territory for a coordinator")) {
                try await store.createUser(NewUser(email: "c@x.fr", role: .coordinator), by: root)
            }
            await #expect(throws: ValidationFailure(field: "password", message: "must be at least 10 characters")) {
                try await store.registerResident(email: "r@x.fr", password: "short", displayName: nil)
            }
            await #expect(throws: ValidationFailure(field: "password", message: "must be at most 72 bytes")) {
                try await store.registerResident(email: "r@x.fr", password: String(repeating: "é", count: 40), displayName: nil)
            }
        }
    }

    @Test("a coordinator manages technicians and elected officials of their territories only", arguments: TestDatabases.engines)
    func coordinatorLimits(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let fixture = try await Fixture.make(store)
            let coordinator = try await fixture.actor(.coordinator)
            let technician = try await store.createUser(
                NewUser(email: "agent@vrh.fr", role: .technician, partnerId: fixture.partnerA.id), by: coordinator)
            #expect(technician.partnerId == fixture.partnerA.id)
            await #expect(throws: DomainError.forbidden("your role (coordinator) may not manage admin accounts")) {
                try await store.createUser(NewUser(email: "boss@x.fr", role: .admin), by: coordinator)
            }
            await #expect(throws: DomainError.forbidden("a coordinator creates users of partners in their own territories")) {
                try await store.createUser(NewUser(email: "agent@b.fr", role: .technician, partnerId: fixture.partnerB.id), by: coordinator)
            }
            await #expect(throws: DomainError.forbidden("you may only give territories you hold yourself")) {
                try await store.createUser(NewUser(email: "elu@b.fr", role: .elected, territoryIds: [fixture.communeB.id]), by: coordinator)
            }
            await #expect(throws: DomainError.notFound("user not found")) { try await store.user(fixture.technicianB.id, by: coordinator) }
            let visible = try await store.users(UserFilter(), page: try PageRequest(), by: coordinator).items.map(\.email)
            #expect(Set(visible) == ["coordinator@a.test", "elected@a.test", "technician@a.test", "agent@vrh.fr"])
        }
    }

    @Test("a user edits their own profile but not their role", arguments: TestDatabases.engines)
    func selfService(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let fixture = try await Fixture.make(store)
            let resident = try await fixture.actor(.resident)
            let renamed = try await store.updateUser(resident.id, UserChanges(displayName: .some("Nadia")), ifVersion: nil, by: resident)
            #expect(renamed.displayName == "Nadia")
            await #expect(throws: DomainError.forbidden("your role (resident) may not do user.update")) {
                try await store.updateUser(resident.id, UserChanges(role: .admin), ifVersion: nil, by: resident)
            }
        }
    }
}
