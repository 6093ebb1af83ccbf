import Foundation
import GUSPCore
import GUSPDatabase
import GUSPMail
import GUSPTestSupport
import Testing

/// What the indicators say of residents' answers, and the intake by channel.
@Suite("Indicators of residents' answers and channels")
struct ResidentIndicatorTests {
    @Test("intake by channel adds up to what the rollups give, for every intake indicator", arguments: TestDatabases.engines)
    func channels(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let coordinator = try await f.actor(.coordinator)
            let lifts = try await f.category("parties_communes")
            for (index, channel) in [SignalementChannel.phone, .phone, .agent].enumerated() {
                _ = try await store.createSignalement(
                    NewSignalement(categoryId: lifts, channel: channel, description: "Appel \(index)", location: places.inQPV), by: coordinator)
            }
            let rejected = try await store.createSignalement(
                NewSignalement(categoryId: lifts, description: "En ligne", location: places.inQPV), by: resident
            ).signalement
            _ = try await store.transitionSignalement(rejected.id, to: .rejected, note: "Hors champ", ifVersion: nil, by: coordinator)
            let today = ParisPeriods.day(ofMilliseconds: store.clock.now().storedMilliseconds)
            for code in ["signalements_received", "reject_rate", "duplicate_rate", "arbitration_rate", "reopen_rate", "recurrence_rate"] {
                let plain = try await store.indicator(code, IndicatorQuery(from: today, to: today), by: Fixture.root)
                let byChannel = try await store.indicator(code, IndicatorQuery(from: today, to: today, groupBy: .channel), by: Fixture.root)
                #expect(byChannel.total == plain.total, "\(code): the channels' total is the rollups' total")
            }
            let received = try await store.indicator(
                "signalements_received", IndicatorQuery(from: today, to: today, groupBy: .channel), by: coordinator)
            #expect(received.rows.map(\.key) == ["agent", "app", "phone"])
            #expect(received.rows.map(\.value) == [1, 1, 2])
            let rejects = try await store.indicator("reject_rate", IndicatorQuery(from: today, to: today, groupBy: .channel), by: coordinator)
            #expect(rejects.rows.first { $0.key == "app" }?.value == 1)
            // A partner sees only what was routed to it; another partner's staff see nothing of it.
            let other = try await store.indicator(
                "signalements_received", IndicatorQuery(from: today, to: today, groupBy: .channel), by: try await f.actor(of: f.technicianB))
            #expect(other.total.value == 0)
        }
    }

    @Test("response, confirmed-fixed and reopened-after-feedback figures follow the answers", arguments: TestDatabases.engines)
    func feedback(engine: Engine) async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let clock = ManualClock()
        var settings = Store.Settings()
        settings.residents.mail = try MailSettings(smtpURL: sink.url(), from: "gusp@valence.example")
        try await TestDatabases.withStore(engine, clock: clock, settings: settings) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let coordinator = try await f.actor(.coordinator)
            let lifts = try await f.category("parties_communes")
            let sender = MailSender(store: store, settings: settings.residents.mail!, logger: .init(label: "test"))
            var ids: [String] = []
            for index in 0..<3 {
                let filed = try await store.createSignalement(
                    NewSignalement(
                        categoryId: lifts, channel: .phone, description: "Appel \(index)", location: places.inQPV,
                        contact: ReporterContact(email: "habitant\(index)@example.org", notify: true)), by: coordinator
                ).signalement
                _ = try await store.transitionSignalement(filed.id, to: .acknowledged, note: nil, ifVersion: nil, by: coordinator)
                _ = try await store.transitionSignalement(filed.id, to: .resolved, note: nil, ifVersion: nil, by: coordinator)
                ids.append(filed.id)
            }
            clock.advance(7 * 86_400)
            #expect(try await store.askForFeedback() == 3)
            while try await sender.step() {}
            let questionnaires = try await sink.waitForMessages(9).filter { $0.parsed.subject?.hasPrefix("Est-ce réglé") == true }
            try #require(questionnaires.count == 3)
            func token(_ address: String) throws -> String {
                let text = try #require(questionnaires.first { $0.envelope.rcptTos == [address] }?.text)
                return ResidentStoryTests.feedbackToken(text)!
            }
            _ = try await store.confirmFeedback(token: try token("habitant0@example.org"), answer: .fixed, comment: nil)
            _ = try await store.confirmFeedback(token: try token("habitant1@example.org"), answer: .notFixed, comment: "Toujours en panne")
            let day = ParisPeriods.day(ofMilliseconds: clock.now().storedMilliseconds)
            let query = IndicatorQuery(from: day, to: day)
            #expect(try await store.indicator("feedback_response_rate", query, by: coordinator).total.value == 2.0 / 3.0)
            #expect(try await store.indicator("feedback_fixed_rate", query, by: coordinator).total.value == 0.5)
            #expect(try await store.indicator("reopened_after_feedback", query, by: coordinator).total.value == 1)
            #expect(try await store.signalement(ids[1], by: coordinator).status == .reopened)
            let byPartner = try await store.indicator("feedback_fixed_rate", IndicatorQuery(from: day, to: day, groupBy: .partner), by: coordinator)
            #expect(byPartner.rows.map(\.key) == [f.partnerA.id])
            let sent = try await store.indicator("notifications_sent", IndicatorQuery(from: day, to: day, groupBy: .kind), by: Fixture.root)
            #expect(sent.rows.first { $0.key == "feedback_request" }?.value == 3)
            // The questionnaires of a foreign partner's signalements are not in its figures.
            let foreign = try await store.indicator("feedback_response_rate", query, by: try await f.actor(of: f.technicianB))
            #expect(foreign.total.sample == 0)
        }
    }
}
