import Foundation
import GUSPCore
import GUSPDatabase
import GUSPMail
import GUSPTestSupport
import Testing

/// RGPD: what a person can get and erase, what the access log records, what the public sees.
@Suite("Privacy: export, erasure, access log, public tracking")
struct PrivacyTests {
    @Test("GET /v1/me/data holds the caller's own data and nobody else's", arguments: TestDatabases.engines)
    func export(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let neighbour = try await f.actor(
                of: try await store.registerResident(email: "voisin@example.org", password: f.password, displayName: "Voisin"))
            let lifts = try await f.category("parties_communes")
            let mine = try await store.createSignalement(
                NewSignalement(
                    categoryId: lifts, description: "Ascenseur bloqué, appelez-moi au 0612345678", location: places.inQPV,
                    contact: ReporterContact(name: "Awa", phone: "0612345678")), by: resident
            ).signalement
            let theirs = try await store.createSignalement(
                NewSignalement(
                    categoryId: lifts, description: "Porte cassée", location: places.inQPV,
                    contact: ReporterContact(name: "Voisin", email: "voisin@example.org")), by: neighbour
            ).signalement
            _ = try await store.confirmSignalement(theirs.id, by: resident)
            _ = try await store.commentSignalement(mine.id, body: "Toujours bloqué ce matin", visibility: .public, by: resident)
            _ = try await store.commentSignalement(theirs.id, body: "Le voisin ajoute ceci", visibility: .public, by: neighbour)
            _ = try await store.createAreaAlert(NewAreaAlert(territoryId: f.qpvA.id, label: "Mon quartier"), by: resident)

            let data = try await store.personalData(by: resident)
            #expect(data.account.email == "resident@a.test")
            #expect(data.signalements.map(\.id) == [mine.id])
            #expect(data.signalements[0].contact == ReporterContact(name: "Awa", phone: "0612345678"))
            #expect(data.signalements[0].description.contains("0612345678"), "their own text, unmasked")
            #expect(data.comments.map(\.body) == ["Toujours bloqué ce matin"])
            #expect(data.confirmations.map(\.signalementId) == [theirs.id])
            #expect(data.follows.map(\.signalementId).contains(mine.id))
            #expect(data.alerts.map(\.label) == ["Mon quartier"])
            #expect(data.preferences == NotificationPreferences())
            let everything = "\(data)"
            for other in ["voisin@example.org", "Porte cassée", "Le voisin ajoute", "Voisin"] {
                #expect(!everything.contains(other), "the export carries \(other)")
            }
            let partnerSystem = try await f.actor(.partnerSystem)
            await #expect(throws: DomainError.self) { _ = try await store.personalData(by: partnerSystem) }
        }
    }

    @Test("DELETE /v1/me: the signalements stay without reporter, contacts go at once, the token is refused", arguments: TestDatabases.engines)
    func erasure(engine: Engine) async throws {
        // A relay nobody answers: messages are queued, not sent.
        var settings = Store.Settings()
        settings.residents.mail = try MailSettings(smtpURL: "smtp://127.0.0.1:9", from: "gusp@valence.example")
        try await TestDatabases.withStore(engine, settings: settings) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let coordinator = try await f.actor(.coordinator)
            let lifts = try await f.category("parties_communes")
            let filed = try await store.createSignalement(
                NewSignalement(
                    categoryId: lifts, description: "Ascenseur bloqué", location: places.inQPV,
                    contact: ReporterContact(name: "Awa", email: "resident@a.test", notify: true)), by: resident
            ).signalement
            _ = try await store.commentSignalement(filed.id, body: "Toujours bloqué", visibility: .public, by: resident)
            _ = try await store.createAreaAlert(NewAreaAlert(territoryId: f.qpvA.id), by: resident)
            // One message sent (its record stays), one waiting (it must not go).
            _ = try await store.transitionSignalement(filed.id, to: .acknowledged, note: nil, ifVersion: nil, by: coordinator)
            try await store.database.write { db in try await db.raw("UPDATE notifications SET status = 'sent'").run() }
            _ = try await store.commentSignalement(filed.id, body: "Passage lundi", visibility: .public, by: coordinator)

            // Only residents erase themselves; staff accounts are closed by an admin or coordinator.
            await #expect(throws: DomainError.self) { try await store.eraseOwnAccount(by: coordinator) }
            try await store.eraseOwnAccount(by: resident)

            let kept = try await store.signalement(filed.id, by: coordinator)
            #expect(kept.reporterId == nil)
            #expect(kept.contact == nil)
            #expect(kept.description == "Ascenseur bloqué")
            let comments = try await store.signalementComments(filed.id, page: try PageRequest(), by: coordinator)
            #expect(comments.items.map(\.authorId) == [nil, coordinator.id], "the resident's comment stays, without its author")
            await #expect(throws: AuthenticationFailure.self) { _ = try await store.authenticate(bearer: f.tokens[.resident]!) }
            // Nothing of theirs is left to export or log in with.
            let left = try await store.database.read { db in
                try await db.raw("SELECT (SELECT COUNT(*) FROM area_alerts) + (SELECT COUNT(*) FROM signalement_followers) AS n").first()!
                    .decode(column: "n", as: Int.self)
            }
            #expect(left == 0)
            // No record keeps a key one could compute from their address.
            let keyed = try await store.database.read { db in
                try await db.raw(
                    """
                    SELECT (SELECT COUNT(*) FROM notifications WHERE recipient_hash = \(bind: TokenSecret.hash("mail:resident@a.test")))
                      + (SELECT COUNT(*) FROM feedback_requests WHERE recipient_hash = \(bind: TokenSecret.hash("mail:resident@a.test"))) AS n
                    """
                ).first()!.decode(column: "n", as: Int.self)
            }
            #expect(keyed == 0)
            let records = try await store.database.read { db in
                try await db.raw("SELECT status FROM notifications").all().map { try $0.decode(column: "status", as: String.self) }
            }
            #expect(records == ["sent"], "the waiting message is gone, the sent one's record stays, unkeyed")
        }
    }

    @Test(
        "every read of a contact by staff is logged (who, when, which), listable by admins, purged after its time", arguments: TestDatabases.engines)
    func accessLog(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let coordinator = try await f.actor(.coordinator)
            let technician = try await f.actor(.technician)
            let admin = try await f.actor(.admin)
            let elected = try await f.actor(.elected)
            let lifts = try await f.category("parties_communes")
            let filed = try await store.createSignalement(
                NewSignalement(
                    categoryId: lifts, description: "Ascenseur bloqué", location: places.inQPV, contact: ReporterContact(phone: "0612345678")),
                by: resident
            ).signalement
            let quiet = try await store.createSignalement(
                NewSignalement(categoryId: lifts, description: "Sans contact", location: places.inQPV), by: resident
            ).signalement

            #expect(try await store.signalement(filed.id, by: coordinator).contact?.phone == "0612345678")
            #expect(try await store.signalement(filed.id, by: technician).contact?.phone == "0612345678")
            // The reporter reading their own, an official who may not see it, a signalement without contact: no entry.
            #expect(try await store.signalement(filed.id, by: resident).contact?.phone == "0612345678")
            #expect(try await store.signalement(filed.id, by: elected).contact == nil)
            #expect(try await store.signalement(quiet.id, by: coordinator).contact == nil)
            // Lists never carry contacts.
            let listed = try await store.signalements(SignalementFilter(), page: try PageRequest(), by: coordinator)
            #expect(listed.items.allSatisfy { $0.contact == nil })

            let log = try await store.contactReads(ContactReadFilter(), page: try PageRequest(), by: admin)
            #expect(log.items.map(\.actorId) == [coordinator.id, technician.id])
            #expect(log.items.allSatisfy { $0.signalementId == filed.id })
            #expect(log.items[1].actorPartnerId == f.partnerA.id)
            #expect(try await store.contactReads(ContactReadFilter(actorId: technician.id), page: try PageRequest(), by: admin).items.count == 1)
            await #expect(throws: DomainError.self) {
                _ = try await store.contactReads(ContactReadFilter(), page: try PageRequest(), by: coordinator)
            }

            clock.advance(store.settings.residents.accessLogRetention + 3_600)
            _ = try await store.purgeExpiredData()
            #expect(try await store.contactReads(ContactReadFilter(), page: try PageRequest(), by: admin).items.isEmpty)
        }
    }

    @Test("a coordinator erases a phone reporter's contact by reference; one of another territory cannot", arguments: TestDatabases.engines)
    func contactErasure(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let coordinator = try await f.actor(.coordinator)
            let coordinatorB = try await f.actor(of: f.coordinatorB)
            let technician = try await f.actor(.technician)
            let lifts = try await f.category("parties_communes")
            let phoned = try await store.createSignalement(
                NewSignalement(
                    categoryId: lifts, channel: .phone, description: "Appel : ascenseur bloqué", location: places.inQPV,
                    contact: ReporterContact(name: "M. Martin", phone: "0475000000")), by: coordinator
            ).signalement
            await #expect(throws: DomainError.self) { try await store.eraseContact(of: phoned.reference, by: technician) }
            await #expect(throws: DomainError.self) { try await store.eraseContact(of: phoned.reference, by: coordinatorB) }
            try await store.eraseContact(of: phoned.reference.lowercased(), by: coordinator)
            #expect(try await store.signalement(phoned.id, by: coordinator).contact == nil)
            await #expect(throws: DomainError.notFound("this signalement holds no contact")) {
                try await store.eraseContact(of: phoned.id, by: coordinator)
            }
        }
    }

    @Test("the public view by reference: category, quartier, status, dates, public comments; nothing personal", arguments: TestDatabases.engines)
    func publicTracking(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let coordinator = try await f.actor(.coordinator)
            let lifts = try await f.category("parties_communes")
            let quietCategory = try await f.category("tranquillite")
            let filed = try await store.createSignalement(
                NewSignalement(
                    categoryId: lifts, description: "Ascenseur bloqué, Mme Durand", location: places.inQPV, address: "12 rue des Lilas",
                    contact: ReporterContact(name: "Mme Durand", email: "durand@example.org", phone: "0612345678", notify: true)),
                by: resident
            ).signalement
            _ = try await store.commentSignalement(
                filed.id, body: "Intervention prévue jeudi, appelez le 0475123456", visibility: .public, by: coordinator)
            _ = try await store.commentSignalement(filed.id, body: "Note interne : le gardien est absent", visibility: .internal, by: coordinator)

            let view = try await store.publicSignalement(reference: " \(filed.reference.lowercased()) ")
            #expect(view.reference == filed.reference)
            #expect(view.category?.code == "parties_communes")
            #expect(view.quartier == .init(code: "QN02607M", label: "Les Hauts de Valence"))
            #expect(view.status == .submitted && view.statusLabel == "reçu")
            #expect(view.dueAt == filed.dueAt && view.withinCommitment == true)
            #expect(view.comments.map(\.body) == ["Intervention prévue jeudi, appelez le [numéro masqué]"])
            #expect(view.comments.map(\.author) == ["La coordination"])
            let everything = "\(view)"
            for personal in ["Durand", "durand@example.org", "0612345678", "Lilas", "Ascenseur bloqué", "gardien", "44.93", "4.91"] {
                #expect(!everything.contains(personal), "the public view carries \(personal)")
            }
            let html = ResidentPages.tracking(view)
            #expect(html.contains(filed.reference) && html.contains("Les Hauts de Valence") && html.contains("reçu"))
            for personal in ["Durand", "durand@example.org", "0612345678", "Lilas", "Ascenseur bloqué", "gardien"] {
                #expect(!html.contains(personal))
            }

            let quiet = try await store.createSignalement(
                NewSignalement(categoryId: quietCategory, description: "Regroupements", location: places.inQPV), by: resident
            ).signalement
            let confidential = try await store.publicSignalement(reference: quiet.reference)
            #expect(confidential.category == nil && confidential.quartier == nil && confidential.comments.isEmpty)
            #expect(confidential.status == quiet.status && confidential.dueAt == quiet.dueAt)
            await #expect(throws: DomainError.self) { _ = try await store.publicSignalement(reference: "VAL-26-99999") }
            await #expect(throws: DomainError.self) { _ = try await store.publicSignalement(reference: "' OR 1=1 --") }
        }
    }
}
