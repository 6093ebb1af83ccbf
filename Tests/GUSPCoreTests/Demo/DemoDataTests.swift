import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

@Suite("Demo data")
struct DemoDataTests {
    @Test("the Valence demo loads on an empty database and every printed token works for its role", arguments: TestDatabases.engines)
    func loads(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            #expect(try await DemoData.isEmpty(store))
            let credentials = try await DemoData.load(into: store)
            #expect(Set(credentials.map(\.role)) == Set(Role.allCases))
            for credential in credentials {
                #expect(try await store.authenticate(bearer: credential.token).role == credential.role)
            }
            #expect(try await DemoData.isEmpty(store) == false)
            let root = Fixture.root
            let qpvs = try await store.territories(TerritoryFilter(kind: .qpv), page: try PageRequest(), by: root).items
            #expect(Set(qpvs.map(\.code)) == ["QN02606M", "QN02607M", "QN02608I", "QN02609M"])
            let commune = try await store.territories(TerritoryFilter(kind: .commune), page: try PageRequest(), by: root).items
            #expect(commune.map(\.code) == ["26362"])
            let partners = try await store.partners(PartnerFilter(), page: try PageRequest(), by: root).items
            #expect(Set(partners.map(\.kind)) == [.ville, .epci, .bailleur, .etat, .centreSocial])
            let conventions = try await store.conventions(ConventionFilter(), page: try PageRequest(), by: root).items
            #expect(conventions.map(\.kind) == [.gusp, .atfpb])
            #expect(conventions.allSatisfy { $0.status == .active || $0.status == .expired })
            let programme = try await store.atfpbProgramme(conventionId: conventions[1].id, year: 2026, by: root)
            #expect(programme.count == 12)
            #expect(programme.reduce(0) { $0 + $1.plannedCents } == 4 * 5_700_000)
            // A held diagnostic walk whose compte-rendu a resident can open at once.
            let resident = try await store.authenticate(bearer: credentials.first { $0.role == .resident }!.token)
            let walks = try await store.walks(WalkFilter(), page: try PageRequest(), by: resident).items
            #expect(walks.count == 1 && walks[0].kind == .diagnostic && walks[0].status == .reportPublished)
            #expect(walks[0].territoryId == qpvs.first { $0.code == "QN02607M" }?.id)
            let report = try await store.walkReport(walks[0].id, asOf: nil, by: resident)
            #expect(report.version == 1 && report.participantCount == 27 && report.observations.count == 7)
            #expect(report.followUps.map(\.target) == [.signalement, .engagement] && report.followUps.allSatisfy { $0.dueAt != nil })
            #expect(report.html.contains("Diagnostic en marchant des Hauts de Valence"))
            // A held cellule de veille with its generated agenda and two decisions.
            let coordinator = try await store.authenticate(bearer: credentials.first { $0.role == .coordinator }!.token)
            let meetings = try await store.meetings(MeetingFilter(), page: try PageRequest(), by: coordinator).items
            #expect(meetings.count == 1 && meetings[0].kind == .celluleDeVeille && meetings[0].status == .held)
            let agenda = try await store.agenda(meetings[0].id, by: coordinator)
            #expect(Set(agenda.map(\.kind)).isSuperset(of: [.hotSpot, .tranquillite]))
            #expect(try await store.meetingMinutes(meetings[0].id, by: coordinator).decisions.map(\.kind) == [.engagement, .assign])
            let login = try await store.logIn(email: "coordination@gusp.example", password: "demo-password", tokenName: nil)
            #expect(try await store.authenticate(bearer: login.secret).territoryIds.count == 5)
        }
    }
}
