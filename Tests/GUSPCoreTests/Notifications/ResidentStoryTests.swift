import Foundation
import GUSPCore
import GUSPDatabase
import GUSPMail
import GUSPTestSupport
import Testing

/// A resident is told what happened to their report, asked whether it is fixed, and their "non"
/// reopens it: every message through a real SMTP server on loopback.
@Suite("Residents are told and asked", .serialized)
struct ResidentStoryTests {
    static let day: TimeInterval = 86_400

    static func settings(_ sink: SMTPSink) throws -> Store.Settings {
        var settings = Store.Settings()
        settings.residents.referencePrefix = "VAL"
        settings.residents.publicURL = "https://gusp.valence.example"
        settings.residents.mail = try MailSettings(smtpURL: sink.url(), from: "gusp@valence.example", fromName: "GUSP Valence")
        return settings
    }

    /// The token of a link in a message's text (`…/retour/<token>?reponse=…`).
    static func feedbackToken(_ text: String) -> String? {
        guard let range = text.range(of: "/retour/") else { return nil }
        return String(text[range.upperBound...].prefix { $0 != "?" && !$0.isWhitespace })
    }

    @Test("consent → acknowledged → one mail → resolved → a second → 7 days → asked → « non » → an hour → reopened", arguments: TestDatabases.engines)
    func story(engine: Engine) async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let clock = ManualClock()
        let settings = try Self.settings(sink)
        try await TestDatabases.withStore(engine, clock: clock, settings: settings) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let coordinator = try await f.actor(.coordinator)
            let bailleur = try await f.actor(.partnerSystem)
            let lifts = try await f.category("parties_communes")
            let sender = MailSender(store: store, settings: settings.residents.mail!, logger: .init(label: "test"))
            // Another resident's report, with their contact: none of it may reach anyone else.
            let neighbour = try await f.actor(
                of: try await store.registerResident(email: "voisine@example.org", password: f.password, displayName: "Voisine"))
            _ = try await store.createSignalement(
                NewSignalement(
                    categoryId: lifts, description: "Porte du hall cassée", location: places.inQPV,
                    contact: ReporterContact(name: "Fatou Voisine", email: "fatou@example.org", phone: "0611223344", notify: true)),
                by: neighbour)

            let filed = try await store.createSignalement(
                NewSignalement(
                    categoryId: lifts, description: "Ascenseur bloqué au 3e", location: places.inQPV,
                    contact: ReporterContact(name: "Awa", email: "resident@a.test", phone: "0612345678", notify: true)),
                by: resident
            ).signalement
            #expect(filed.reference.hasPrefix("VAL-\(PublicReferenceYear.now(clock) % 100)-"))
            #expect(filed.reference.count == "VAL-26-00002".count)
            #expect(filed.partnerId == f.partnerA.id)
            // Filing itself sends nothing.
            #expect(try await sender.step() == false)
            #expect(try sink.messages().isEmpty)

            _ = try await store.transitionSignalement(filed.id, to: .acknowledged, note: nil, ifVersion: nil, by: coordinator)
            _ = try await sender.step()
            let first = try await sink.waitForMessages(1)
            try #require(first.count == 1, "exactly one mail: the account's address and the contact's are the same person")
            let acknowledgement = first[0]
            #expect(acknowledgement.envelope.rcptTos == ["resident@a.test"])
            #expect(acknowledgement.parsed.subject == "Votre signalement \(filed.reference) a été pris en compte")
            let text = try #require(acknowledgement.text)
            #expect(text.contains(filed.reference))
            #expect(text.contains(FrenchDates.day(filed.dueAt!)))
            #expect(text.contains("https://gusp.valence.example/suivi/\(filed.reference)"))
            #expect(acknowledgement.html?.contains(filed.reference) == true)
            #expect(acknowledgement.parsed.header("List-Unsubscribe")?.hasPrefix("<https://gusp.valence.example/desabonnement/") == true)
            #expect(acknowledgement.parsed.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
            #expect(acknowledgement.parsed.header("Message-ID") != nil)
            for other in ["Fatou", "fatou@example.org", "0611223344", "voisine@example.org", "Porte du hall", "0612345678", "Ascenseur bloqué"] {
                #expect(!acknowledgement.raw.contains(other), "the mail carries \(other)")
                #expect(!(acknowledgement.html ?? "").contains(other) && !text.contains(other), "the mail carries \(other)")
            }
            #expect(acknowledgement.parsed.defects.isEmpty)

            // The bailleur's system reports its intervention done: the signalement is resolved, a second mail.
            _ = try await store.upsertIntervention(
                partnerId: f.partnerA.id, externalId: "OT-2026-114",
                InterventionReport(
                    kind: "ascenseur", status: .done, doneAt: clock.now().storedMilliseconds, territoryId: f.qpvA.id,
                    description: "Technicien passé, carte remplacée", signalementIds: [filed.id]),
                by: bailleur)
            #expect(try await store.signalement(filed.id, by: coordinator).status == .resolved)
            _ = try await sender.step()
            let second = try await sink.waitForMessages(2)
            try #require(second.count == 2)
            #expect(second[1].parsed.subject == "Votre signalement \(filed.reference) est résolu")
            #expect(!(second[1].text ?? "").contains("carte remplacée"), "a resolution's note is the partners'")

            // A week later: the questionnaire, with three one-click answers.
            #expect(try await store.askForFeedback() == 0)
            clock.advance(7 * Self.day)
            #expect(try await store.askForFeedback() == 1)
            #expect(try await store.askForFeedback() == 0, "asked once per resolution")
            _ = try await sender.step()
            let third = try await sink.waitForMessages(3)
            try #require(third.count == 3)
            let questionnaire = try #require(third[2].text)
            #expect(third[2].parsed.subject == "Est-ce réglé ? Votre signalement \(filed.reference)")
            for answer in ["oui", "non", "en_partie"] { #expect(questionnaire.contains("?reponse=\(answer)")) }
            let token = try #require(Self.feedbackToken(questionnaire))

            // Opening "non" (a person, or a mail scanner) reopens nothing yet.
            let provisional = try await store.openFeedback(token: token, answer: .notFixed)
            #expect(provisional.status == .provisional && provisional.answer == .notFixed)
            #expect(try await store.signalement(filed.id, by: coordinator).status == .resolved)
            clock.advance(59 * 60)
            #expect(try await store.settleProvisionalFeedback() == 0)
            #expect(try await store.signalement(filed.id, by: coordinator).status == .resolved)
            // An hour unchanged: it takes effect.
            clock.advance(60)
            #expect(try await store.settleProvisionalFeedback() == 1)
            let reopened = try await store.signalement(filed.id, by: coordinator)
            #expect(reopened.status == .reopened)
            let events = try await store.events(resourceType: .signalement, resourceId: filed.id, page: try PageRequest(limit: 100), by: coordinator)
            let reopening = try #require(events.items.last { $0.action == "status_changed" && $0.toStatus == "reopened" })
            #expect(reopening.note?.contains("non") == true)
            // The link is spent: confirming after that is 410.
            await #expect(throws: DomainError.gone("votre réponse a déjà été prise en compte : ce lien ne sert plus")) {
                _ = try await store.confirmFeedback(token: token, answer: .fixed, comment: nil)
            }
            await #expect(throws: DomainError.self) { _ = try await store.openFeedback(token: token, answer: .fixed) }
        }
    }
}

enum PublicReferenceYear {
    static func now(_ clock: ManualClock) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        return calendar.component(.year, from: clock.now())
    }
}

/// The questionnaire's edges: a scanner opening every link, an old link after a second resolution.
@Suite("Est-ce réglé ? at its edges", .serialized)
struct FeedbackEdgeTests {
    struct Asked {
        var store: Store
        var clock: ManualClock
        var coordinator: Actor
        var filed: Signalement
        var token: String
    }

    /// A phone reporter's signalement resolved a week ago, its questionnaire sent through a real SMTP
    /// server, and the token of its links.
    static func asked(_ engine: Engine, _ body: (Asked) async throws -> Void) async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let clock = ManualClock()
        let settings = try ResidentStoryTests.settings(sink)
        try await TestDatabases.withStore(engine, clock: clock, settings: settings) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let coordinator = try await f.actor(.coordinator)
            let sender = MailSender(store: store, settings: settings.residents.mail!, logger: .init(label: "test"))
            let filed = try await store.createSignalement(
                NewSignalement(
                    categoryId: try await f.category("parties_communes"), channel: .phone, description: "Appel", location: places.inQPV,
                    contact: ReporterContact(email: "habitant@example.org", notify: true)), by: coordinator
            ).signalement
            _ = try await store.transitionSignalement(filed.id, to: .acknowledged, note: nil, ifVersion: nil, by: coordinator)
            _ = try await store.transitionSignalement(filed.id, to: .resolved, note: nil, ifVersion: nil, by: coordinator)
            clock.advance(7 * 86_400)
            #expect(try await store.askForFeedback() == 1)
            while try await sender.step() {}
            let text = try #require(
                try await sink.waitForMessages(3).first { $0.parsed.subject?.hasPrefix("Est-ce réglé") == true }?.text)
            let token = try #require(ResidentStoryTests.feedbackToken(text))
            try await body(Asked(store: store, clock: clock, coordinator: coordinator, filed: filed, token: token))
        }
    }

    @Test("a scanner opening all three links settles nothing by itself; a person's confirmation still counts", arguments: TestDatabases.engines)
    func scanner(engine: Engine) async throws {
        try await Self.asked(engine) { (asked: Asked) async throws in
            let (store, clock, coordinator, filed, token) = (asked.store, asked.clock, asked.coordinator, asked.filed, asked.token)
            for answer in FeedbackAnswer.allCases { _ = try await store.openFeedback(token: token, answer: answer) }
            let opened = try await store.openFeedback(token: token, answer: nil)
            #expect(opened.effectiveAt == nil, "no answer takes effect by itself")
            clock.advance(2 * 3_600)
            #expect(try await store.settleProvisionalFeedback() == 0)
            #expect(try await store.signalement(filed.id, by: coordinator).status == .resolved)
            let confirmed = try await store.confirmFeedback(token: token, answer: .notFixed, comment: nil)
            #expect(confirmed.outcome == .reopened)
        }
    }

    @Test("a questionnaire about a first resolution does not reopen a second one", arguments: TestDatabases.engines)
    func oldLink(engine: Engine) async throws {
        try await Self.asked(engine) { (asked: Asked) async throws in
            let (store, coordinator, filed, token) = (asked.store, asked.coordinator, asked.filed, asked.token)
            _ = try await store.transitionSignalement(
                filed.id, to: .reopened, note: "Signalé à nouveau par téléphone", ifVersion: nil, by: coordinator)
            _ = try await store.transitionSignalement(filed.id, to: .resolved, note: nil, ifVersion: nil, by: coordinator)
            let answered = try await store.confirmFeedback(token: token, answer: .notFixed, comment: nil)
            #expect(answered.outcome == .notReopened)
            #expect(try await store.signalement(filed.id, by: coordinator).status == .resolved)
        }
    }

    @Test("a link unanswered for 30 days has expired: 410, and nothing changes", arguments: TestDatabases.engines)
    func expired(engine: Engine) async throws {
        try await Self.asked(engine) { (asked: Asked) async throws in
            let (store, clock, coordinator, filed, token) = (asked.store, asked.clock, asked.coordinator, asked.filed, asked.token)
            clock.advance(30 * 86_400 + 1)
            await #expect(throws: DomainError.gone("ce lien de réponse a expiré")) {
                _ = try await store.openFeedback(token: token, answer: .notFixed)
            }
            await #expect(throws: DomainError.gone("ce lien de réponse a expiré")) {
                _ = try await store.confirmFeedback(token: token, answer: .notFixed, comment: nil)
            }
            #expect(try await store.signalement(filed.id, by: coordinator).status == .resolved)
        }
    }
}
