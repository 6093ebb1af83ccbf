import Foundation
import GUSPCore
import GUSPDatabase
import GUSPMail
import GUSPTestSupport
import HTTPTypes
import Testing

/// What residents and the coordination do over HTTP: public tracking, the questionnaire's pages,
/// unsubscribing, preferences, alerts, their data and its erasure, the access log.
@Suite("Resident routes", .serialized)
struct ResidentRouteTests {
    static func form(_ pairs: [String: String]) -> Data {
        Data(pairs.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&").utf8)
    }

    static let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func filed(_ api: API, contact: [String: Any]? = nil, as role: Role = .resident) async throws -> [String: Any] {
        let places = try await api.fixture.drawContours()
        var body: [String: Any] = [
            "category_id": try await api.fixture.category("parties_communes"), "description": "Ascenseur bloqué, Mme Durand",
            "location": ["lat": places.inQPV.lat, "long": places.inQPV.long],
        ]
        if let contact { body["contact"] = contact }
        let reply = try await api.call(.post, "/v1/signalements", as: role, json: body)
        #expect(reply.status == 201, "\(reply.text)")
        return reply.json
    }

    @Test("public tracking by reference, as JSON without a token and as an accessible French page", arguments: TestDatabases.engines)
    func tracking(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let filed = try await Self.filed(api, contact: ["name": "Mme Durand", "phone": "0612345678"])
            let reference = try #require(filed["reference"] as? String)
            #expect(reference.hasPrefix("GUSP-"))
            let json = try await api.call(.get, "/v1/public/signalements/\(reference)")
            #expect(json.status == 200, "\(json.text)")
            #expect(
                Set(json.json.keys) == [
                    "reference", "category", "quartier", "status", "status_label", "filed_at", "due_at", "within_commitment", "comments",
                ])
            #expect((json.json["quartier"] as? [String: String])?["label"] == "Les Hauts de Valence")
            #expect(json.json["status_label"] as? String == "reçu")
            #expect(!json.text.contains("Durand") && !json.text.contains("0612345678") && !json.text.contains("Ascenseur"))
            let unknown = try await api.call(.get, "/v1/public/signalements/GUSP-26-99999")
            #expect(unknown.status == 404 && unknown.headers[.contentType]?.hasPrefix("application/problem+json") == true)

            let page = try await api.call(.get, "/suivi/\(reference.lowercased())")
            #expect(page.status == 200)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.headers[.cacheControl] == "no-store")
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("default-src 'none'") && policy.contains("form-action 'self'") && policy.contains(PrintablePage.styleSourceHash))
            #expect(page.text.contains("<html lang=\"fr\">") && page.text.contains(reference) && page.text.contains("Les Hauts de Valence"))
            #expect(!page.text.contains("Durand") && !page.text.contains("<script"))
            let missing = try await api.call(.get, "/suivi/GUSP-26-99999")
            #expect(missing.status == 404 && missing.text.contains("Référence inconnue"))
        }
    }

    @Test("the questionnaire's pages: a GET records, the form confirms, a spent link is 410", arguments: TestDatabases.engines)
    func feedbackPages(engine: Engine) async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let clock = ManualClock()
        var stored = Store.Settings()
        stored.residents.mail = try MailSettings(smtpURL: sink.url(), from: "gusp@valence.example")
        let settings = stored
        try await TestApp.run(engine, clock: clock, settings: settings) { api in
            let filed = try await Self.filed(api)
            let id = try #require(filed["id"] as? String)
            for to in ["acknowledged", "resolved"] {
                let moved = try await api.call(.post, "/v1/signalements/\(id)/transitions", as: .coordinator, json: ["to": to])
                #expect(moved.status == 200, "\(moved.text)")
            }
            clock.advance(7 * 86_400)
            let store = api.fixture.store
            #expect(try await store.askForFeedback() == 1)
            let sender = MailSender(store: store, settings: settings.residents.mail!, logger: .init(label: "test"))
            while try await sender.step() {}
            let questionnaire = try #require(
                try await sink.waitForMessages(3).first { $0.parsed.subject?.hasPrefix("Est-ce réglé") == true }?.text)
            // A week passed: the fixture's hour-long tokens expired.
            func freshToken(_ role: Role) async throws -> String {
                try await store.issuePersonalToken(userId: api.fixture.users[role]!.id, name: "t", lifetime: 3_600, createdBy: nil).secret
            }
            let token = try #require(questionnaire.range(of: "/retour/").map { String(questionnaire[$0.upperBound...].prefix { $0 != "?" }) })

            let opened = try await api.call(.get, "/retour/\(token)?reponse=en_partie")
            #expect(opened.status == 200)
            #expect(opened.text.contains("Vous avez répondu : <strong>En partie</strong>"))
            #expect(opened.text.contains("<form method=\"post\" action=\"/retour/\(token)\">"))
            #expect(opened.headers[.cacheControl] == "no-store")
            let missingAnswer = try await api.call(.post, "/retour/\(token)", raw: Self.form(["commentaire": "?"]), headers: Self.formType)
            #expect(missingAnswer.status == 422)
            let confirmed = try await api.call(
                .post, "/retour/\(token)", raw: Self.form(["reponse": "en_partie", "commentaire": "Le bouton du 3e ne marche pas"]),
                headers: Self.formType)
            #expect(confirmed.status == 200, "\(confirmed.text)")
            #expect(confirmed.text.contains("transmise au partenaire"))
            let comments = try await api.call(.get, "/v1/signalements/\(id)/comments", token: try await freshToken(.technician))
            #expect(
                (comments.json["data"] as? [[String: Any]])?.last?["body"] as? String
                    == "Retour du résident (« est-ce réglé ? ») : en partie. Le bouton du 3e ne marche pas")
            let again = try await api.call(.post, "/retour/\(token)", raw: Self.form(["reponse": "oui"]), headers: Self.formType)
            #expect(again.status == 410 && again.text.contains("déjà"))
            #expect(try await api.call(.get, "/retour/\(token)?reponse=oui").status == 410)
            #expect(try await api.call(.get, "/retour/fb_unknown").status == 404)

            // Unsubscribing without an account: a GET asks, the one-click POST (RFC 8058) does it.
            let link = try #require(try sink.messages().first?.parsed.header("List-Unsubscribe"))
            let path = String(link.dropFirst().dropLast().dropFirst("http://127.0.0.1:8080".count))
            let ask = try await api.call(.get, path)
            #expect(ask.status == 200 && ask.text.contains("Me désabonner"))
            let done = try await api.call(.post, path, raw: Data("List-Unsubscribe=One-Click".utf8), headers: Self.formType)
            #expect(done.status == 200 && done.text.contains("Désabonnement enregistré"))
            let preferences = try await api.call(.get, "/v1/me/notification-preferences", token: try await freshToken(.resident))
            #expect(preferences.json["email_enabled"] as? Bool == false)
            #expect(try await api.call(.post, "/desabonnement/uns_unknown", raw: Data(), headers: Self.formType).status == 404)

            let metrics = try await api.call(.get, "/metrics")
            #expect(metrics.text.contains("gusp_mail_backlog{kind=\"acknowledged\"} 0"))
        }
    }

    @Test("preferences, alerts, one's data and its erasure, the access log, contact erasure by reference", arguments: TestDatabases.engines)
    func personalRoutes(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            let filed = try await Self.filed(api, contact: ["name": "Awa", "email": "resident@a.test", "notify": true])
            let id = try #require(filed["id"] as? String)
            #expect((filed["contact"] as? [String: Any])?["notify"] as? Bool == true, "the filer gets back what they typed")
            let refused = try await api.call(
                .post, "/v1/signalements", as: .resident,
                json: ["category_id": try await f.category("proprete"), "description": "x", "territory_id": f.qpvA.id, "contact": ["notify": true]])
            #expect(refused.status == 422 && refused.invalidFields.contains("contact.notify"), "\(refused.text)")

            let preferences = try await api.call(.get, "/v1/me/notification-preferences", as: .resident)
            #expect(
                preferences.json as NSDictionary == [
                    "own_reports": true, "followed_reports": false, "feedback_requests": true, "email_enabled": true,
                ])
            let changed = try await api.call(.patch, "/v1/me/notification-preferences", as: .resident, json: ["followed_reports": true])
            #expect(changed.status == 200 && changed.json["followed_reports"] as? Bool == true)
            let nulled = try await api.call(.patch, "/v1/me/notification-preferences", as: .resident, json: ["own_reports": NSNull()])
            #expect(nulled.status == 422 && nulled.invalidFields == ["own_reports"])
            #expect(try await api.call(.get, "/v1/me/notification-preferences", as: .partnerSystem).status == 403)
            #expect(try await api.call(.get, "/v1/me/notification-preferences").status == 401)

            let alert = try await api.call(.post, "/v1/me/alerts", as: .resident, json: ["territory_id": f.qpvA.id, "label": "Mon quartier"])
            #expect(alert.status == 201, "\(alert.text)")
            let alertId = try #require(alert.json["id"] as? String)
            let badAlert = try await api.call(.post, "/v1/me/alerts", as: .resident, json: ["territory_id": "ter_nope"])
            #expect(badAlert.status == 422 && badAlert.invalidFields == ["territory_id"])
            #expect((try await api.call(.get, "/v1/me/alerts", as: .resident).json["data"] as? [[String: Any]])?.count == 1)
            #expect((try await api.call(.get, "/v1/me/alerts", as: .elected).json["data"] as? [[String: Any]])?.isEmpty == true)
            #expect(try await api.call(.delete, "/v1/me/alerts/\(alertId)", as: .elected).status == 404, "another's alert")

            // Staff reading the contact leave a trace; admins list it; the log names no data.
            #expect(try await api.call(.get, "/v1/signalements/\(id)", as: .technician).json["contact"] != nil)
            let log = try await api.call(.get, "/v1/contact-reads", as: .admin)
            #expect(log.status == 200)
            let entries = try #require(log.json["data"] as? [[String: Any]])
            #expect(entries.map { $0["actor_id"] as? String } == [f.users[.technician]!.id])
            #expect(!log.text.contains("resident@a.test"))
            #expect(try await api.call(.get, "/v1/contact-reads", as: .coordinator).status == 403)

            let data = try await api.call(.get, "/v1/me/data", as: .resident)
            #expect(data.status == 200, "\(data.text)")
            #expect((data.json["signalements"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            #expect((data.json["alerts"] as? [[String: Any]])?.count == 1)

            #expect(try await api.call(.delete, "/v1/me", as: .coordinator).status == 403)
            #expect(try await api.call(.delete, "/v1/me", as: .resident).status == 204)
            #expect(try await api.call(.get, "/v1/me", as: .resident).status == 401)
            let kept = try await api.call(.get, "/v1/signalements/\(id)", as: .coordinator)
            #expect(kept.status == 200 && kept.json["reporter_id"] == nil && kept.json["contact"] == nil)

            // A phone reporter's contact, erased by reference.
            let phoned = try await Self.filed(api, contact: ["name": "M. Martin", "phone": "0475000000"], as: .coordinator)
            let reference = try #require(phoned["reference"] as? String)
            #expect(try await api.call(.delete, "/v1/signalements/\(reference)/contact", as: .technician).status == 403)
            #expect(try await api.call(.delete, "/v1/signalements/\(reference)/contact", as: .coordinator).status == 204)
            #expect(try await api.call(.delete, "/v1/signalements/\(reference)/contact", as: .coordinator).status == 404)
        }
    }

    @Test("anyone may read by reference, within a limit per address")
    func publicLimit() async throws {
        try await TestApp.run(.sqlite) { api in
            var statuses: [Int] = []
            // However the path is spelled, it counts.
            for index in 0..<121 {
                let path = ["/suivi/GUSP-26-00001", "//suivi/GUSP-26-00001", "/v1//public/signalements/GUSP-26-00001"][index % 3]
                statuses.append(try await api.call(.get, path).status)
            }
            #expect(statuses.prefix(120).allSatisfy { $0 == 404 })
            #expect(statuses.last == 429)
        }
    }
}
