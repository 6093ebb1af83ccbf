import Foundation
import GUSPCore
import GUSPDatabase
import GUSPMail
import GUSPTestSupport
import SQLKit
import Testing

/// What happens to messages when the relay refuses, is down, or a worker dies; who opts in and out.
@Suite("Mail delivery", .serialized)
struct MailDeliveryTests {
    static let day: TimeInterval = 86_400

    struct Setup {
        var store: Store
        var fixture: Fixture
        var places: Contours
        var sender: MailSender
        var category: String
    }

    static func withMail(
        _ engine: Engine, smtpURL: String, clock: ManualClock = ManualClock(), _ body: (Setup) async throws -> Void
    ) async throws {
        var settings = Store.Settings()
        settings.residents.mail = try MailSettings(smtpURL: smtpURL, from: "gusp@valence.example")
        try await TestDatabases.withStore(engine, clock: clock, settings: settings) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let sender = MailSender(store: store, settings: settings.residents.mail!, logger: .init(label: "test"))
            try await body(Setup(store: store, fixture: f, places: places, sender: sender, category: try await f.category("parties_communes")))
        }
    }

    static func notifications(_ store: Store) async throws -> [(status: String, attempts: Int, recipient: String?)] {
        try await store.database.read { db in
            try await db.raw("SELECT status, attempts, recipient FROM notifications ORDER BY created_at, id").all().map {
                (
                    try $0.decode(column: "status", as: String.self), try $0.decode(column: "attempts", as: Int.self),
                    try $0.decode(column: "recipient", as: String?.self)
                )
            }
        }
    }

    @Test("an address the relay refuses for good bounces once and gets no further mail", arguments: TestDatabases.engines)
    func bounce(engine: Engine) async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        try await Self.withMail(engine, smtpURL: sink.url()) { s in
            let coordinator = try await s.fixture.actor(.coordinator)
            let filed = try await s.store.createSignalement(
                NewSignalement(
                    categoryId: s.category, channel: .phone, description: "Appel", location: s.places.inQPV,
                    contact: ReporterContact(email: "bounce@example.org", notify: true)), by: coordinator
            ).signalement
            _ = try await s.store.transitionSignalement(filed.id, to: .acknowledged, note: nil, ifVersion: nil, by: coordinator)
            _ = try await s.sender.step()
            #expect(try await Self.notifications(s.store).map(\.status) == ["bounced"])
            #expect(try await Self.notifications(s.store).first?.recipient == nil, "the address is not kept")
            _ = try await s.store.transitionSignalement(filed.id, to: .resolved, note: nil, ifVersion: nil, by: coordinator)
            #expect(try await Self.notifications(s.store).count == 1, "nothing more is queued for it")
            #expect(try sink.messages().isEmpty)
        }
    }

    @Test(
        "the relay down: the API answers, messages wait with their backoff, /metrics' backlog shows them, and fail after 3 days",
        arguments: TestDatabases.engines)
    func relayDown(engine: Engine) async throws {
        let clock = ManualClock()
        // A port nobody listens on.
        try await Self.withMail(engine, smtpURL: "smtp://127.0.0.1:9?timeout=2", clock: clock) { s in
            let resident = try await s.fixture.actor(.resident)
            let coordinator = try await s.fixture.actor(.coordinator)
            let filed = try await s.store.createSignalement(
                NewSignalement(categoryId: s.category, description: "Fuite", location: s.places.inQPV), by: resident
            ).signalement
            _ = try await s.store.transitionSignalement(filed.id, to: .acknowledged, note: nil, ifVersion: nil, by: coordinator)
            _ = try await s.sender.step()
            #expect(try await Self.notifications(s.store).map(\.status) == ["pending"])
            #expect(try await Self.notifications(s.store).map(\.attempts) == [1])
            #expect(try await s.store.mailBacklog() == ["acknowledged": 1])
            // Not due again at once: the backoff holds it.
            #expect(try await s.store.claimMail(owner: "other", limit: 10).isEmpty)
            clock.advance(3 * Self.day + 60)
            _ = try await s.sender.step()
            #expect(try await Self.notifications(s.store).map(\.status) == ["failed"])
            #expect(try await s.store.mailBacklog().isEmpty)
        }
    }

    @Test("a worker that dies holding a message: another sends it once its lease ends, and only once", arguments: TestDatabases.engines)
    func workerDies(engine: Engine) async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let clock = ManualClock()
        try await Self.withMail(engine, smtpURL: sink.url(), clock: clock) { s in
            let resident = try await s.fixture.actor(.resident)
            let coordinator = try await s.fixture.actor(.coordinator)
            let filed = try await s.store.createSignalement(
                NewSignalement(categoryId: s.category, description: "Fuite", location: s.places.inQPV), by: resident
            ).signalement
            _ = try await s.store.transitionSignalement(filed.id, to: .acknowledged, note: nil, ifVersion: nil, by: coordinator)
            let claimed = try await s.store.claimMail(owner: "dead-worker", limit: 10)
            #expect(claimed.count == 1)
            // While the lease holds, nobody else takes it.
            #expect(try await s.sender.step() == false)
            #expect(try sink.messages().isEmpty)
            clock.advance(601)
            _ = try await s.sender.step()
            #expect(try await sink.waitForMessages(1).count == 1)
            // The dead worker's late record changes nothing; no later round sends it again.
            try await s.store.recordMail(claimed[0], owner: "dead-worker", outcome: .failed("late"))
            clock.advance(3_600)
            _ = try await s.sender.step()
            try await Task.sleep(for: .milliseconds(300))
            #expect(try sink.messages().count == 1)
            #expect(try await Self.notifications(s.store).map(\.status) == ["sent"])
        }
    }

    @Test("unsubscribing without an account stops mail to the address; the account lifts it in its preferences", arguments: TestDatabases.engines)
    func unsubscribe(engine: Engine) async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        try await Self.withMail(engine, smtpURL: sink.url()) { s in
            let resident = try await s.fixture.actor(.resident)
            let coordinator = try await s.fixture.actor(.coordinator)
            let filed = try await s.store.createSignalement(
                NewSignalement(categoryId: s.category, description: "Fuite", location: s.places.inQPV), by: resident
            ).signalement
            _ = try await s.store.transitionSignalement(filed.id, to: .acknowledged, note: nil, ifVersion: nil, by: coordinator)
            _ = try await s.sender.step()
            let link = try #require(try await sink.waitForMessages(1).first?.parsed.header("List-Unsubscribe"))
            let token = String(link.dropFirst().dropLast().split(separator: "/").last!)
            #expect(try await s.store.unsubscribe(token: "uns_nope") == false)
            #expect(try await s.store.unsubscribe(token: token))
            #expect(try await s.store.unsubscribe(token: token), "a one-click POST may come twice")
            #expect(try await s.store.notificationPreferences(by: resident).emailEnabled == false)
            _ = try await s.store.commentSignalement(filed.id, body: "Passage prévu lundi", visibility: .public, by: coordinator)
            #expect(try await Self.notifications(s.store).count == 1)
            _ = try await s.store.updateNotificationPreferences(NotificationPreferenceChanges(emailEnabled: true), by: resident)
            _ = try await s.store.commentSignalement(filed.id, body: "Passage confirmé lundi", visibility: .public, by: coordinator)
            #expect(try await Self.notifications(s.store).count == 2)
            // Opting out of one's own reports.
            _ = try await s.store.updateNotificationPreferences(NotificationPreferenceChanges(ownReports: false), by: resident)
            _ = try await s.store.commentSignalement(filed.id, body: "Reporté à mardi", visibility: .public, by: coordinator)
            #expect(try await Self.notifications(s.store).count == 2)
        }
    }

    @Test("a « moi aussi » follower hears only if they opted in; internal comments reach nobody", arguments: TestDatabases.engines)
    func followers(engine: Engine) async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        try await Self.withMail(engine, smtpURL: sink.url()) { s in
            let resident = try await s.fixture.actor(.resident)
            let coordinator = try await s.fixture.actor(.coordinator)
            let neighbour = try await s.fixture.actor(
                of: try await s.store.registerResident(email: "voisin@example.org", password: s.fixture.password, displayName: nil))
            let filed = try await s.store.createSignalement(
                NewSignalement(categoryId: s.category, description: "Fuite", location: s.places.inQPV), by: resident
            ).signalement
            _ = try await s.store.confirmSignalement(filed.id, by: neighbour)
            _ = try await s.store.commentSignalement(filed.id, body: "Note interne", visibility: .internal, by: coordinator)
            #expect(try await Self.notifications(s.store).isEmpty)
            _ = try await s.store.commentSignalement(filed.id, body: "Passage lundi", visibility: .public, by: coordinator)
            #expect(try await Self.notifications(s.store).compactMap(\.recipient) == ["resident@a.test"])
            _ = try await s.store.updateNotificationPreferences(NotificationPreferenceChanges(followedReports: true), by: neighbour)
            _ = try await s.store.commentSignalement(filed.id, body: "Passage mardi", visibility: .public, by: coordinator)
            #expect(
                try await Self.notifications(s.store).compactMap(\.recipient).sorted() == [
                    "resident@a.test", "resident@a.test", "voisin@example.org",
                ])
            _ = try await s.sender.step()
            let received = try await sink.waitForMessages(3)
            let toNeighbour = try #require(received.first { $0.envelope.rcptTos == ["voisin@example.org"] })
            #expect(!toNeighbour.raw.contains("resident@a.test") && !(toNeighbour.text ?? "").contains("Fuite"))
            #expect(received.allSatisfy { !($0.text ?? "").contains("Note interne") })
        }
    }

    @Test(
        "an area alert's daily digest lists new signalements (reference, category, status), never tranquillité, never a description",
        arguments: TestDatabases.engines)
    func digest(engine: Engine) async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let clock = ManualClock()
        try await Self.withMail(engine, smtpURL: sink.url(), clock: clock) { s in
            let resident = try await s.fixture.actor(.resident)
            let elected = try await s.fixture.actor(.elected)
            await #expect(throws: ValidationFailure.self) {
                _ = try await s.store.createAreaAlert(
                    NewAreaAlert(territoryId: s.fixture.qpvA.id, bbox: BoundingBox(minLong: 4.9, minLat: 44.9, maxLong: 4.91, maxLat: 44.91)),
                    by: elected)
            }
            await #expect(throws: ValidationFailure.self) {
                _ = try await s.store.createAreaAlert(NewAreaAlert(bbox: BoundingBox(minLong: 4, minLat: 44, maxLong: 5, maxLat: 45)), by: elected)
            }
            _ = try await s.store.createAreaAlert(NewAreaAlert(territoryId: s.fixture.qpvA.id, label: "Hauts de Valence"), by: elected)
            let visible = try await s.store.createSignalement(
                NewSignalement(categoryId: s.category, description: "Fuite au 3e, Mme Durand", location: s.places.inQPV), by: resident
            ).signalement
            _ = try await s.store.createSignalement(
                NewSignalement(categoryId: try await s.fixture.category("tranquillite"), description: "Regroupements", location: s.places.inQPV),
                by: resident)
            _ = try await s.store.createSignalement(
                NewSignalement(categoryId: s.category, description: "Ailleurs", location: s.places.inCommuneB), by: resident)
            #expect(try await s.store.sendAlertDigests() == 0, "not a day yet")
            clock.advance(Self.day + 120)
            #expect(try await s.store.sendAlertDigests() == 1)
            #expect(try await s.store.sendAlertDigests() == 0)
            _ = try await s.sender.step()
            let digest = try #require(try await sink.waitForMessages(1).first)
            #expect(digest.envelope.rcptTos == ["elected@a.test"])
            let text = try #require(digest.text)
            #expect(text.contains(visible.reference))
            #expect(text.contains("1 nouveau signalement"))
            for hidden in ["Durand", "Fuite", "Regroupements", "Ailleurs", "resident@a.test"] { #expect(!digest.raw.contains(hidden)) }
            // A quiet day sends nothing.
            clock.advance(Self.day)
            #expect(try await s.store.sendAlertDigests() == 1)
            _ = try await s.sender.step()
            try await Task.sleep(for: .milliseconds(200))
            #expect(try sink.messages().count == 1)
        }
    }
}
