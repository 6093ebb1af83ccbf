import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import HTTPTypes
import Testing

/// A cellule de veille as the coordination runs it over HTTP, and its minutes as residents read them.
@Suite("Meeting routes")
struct MeetingRouteTests {
    @Test("plan, agenda, hold, decide, minutes, approval, what residents read", arguments: TestDatabases.engines)
    func story(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            let dates = ISO8601DateFormatter()
            let starts = Date().addingTimeInterval(2 * 86_400)
            let plan: [String: Any] = [
                "kind": "cellule_de_veille", "title": "Cellule de veille des Hauts", "territory_ids": [f.qpvA.id],
                "starts_at": dates.string(from: starts), "chair_partner_id": f.partnerA.id,
            ]
            let created = try await api.call(.post, "/v1/meetings", as: .coordinator, json: plan)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.headers[.eTag] == "\"1\"")
            #expect(created.json["status"] as? String == "planned" && created.json["has_minutes"] as? Bool == false)
            let id = try #require(created.json["id"] as? String)
            let path = "/v1/meetings/\(id)"

            var unknown = plan
            unknown["territory_ids"] = ["ter_unknown"]
            let refused = try await api.call(.post, "/v1/meetings", as: .coordinator, json: unknown)
            #expect(refused.status == 422 && refused.invalidFields == ["territory_ids[0]"], "\(refused.text)")

            // The agenda: nothing is wrong yet in QPV A, then two items by hand, one confidential, reordered.
            let generated = try await api.call(.post, path + "/agenda:generate", as: .coordinator, json: [:])
            #expect(generated.status == 200, "\(generated.text)")
            #expect((generated.json["data"] as? [[String: Any]])?.isEmpty == true)
            let manual = try await api.call(
                .post, path + "/items", as: .coordinator, json: ["title": "Eclairage du parking Bellevue", "detail": "Trois candelabres eteints"])
            #expect(manual.status == 201 && manual.json["confidential"] as? Bool == false, "\(manual.text)")
            let manualId = try #require(manual.json["id"] as? String)
            let secret = try await api.call(
                .post, path + "/items", as: .coordinator, json: ["title": "Menaces envers un gardien", "confidential": true])
            #expect(secret.status == 201 && secret.json["confidential"] as? Bool == true, "\(secret.text)")
            let secretId = try #require(secret.json["id"] as? String)
            let reordered = try await api.call(.post, path + "/items:reorder", as: .coordinator, json: ["item_ids": [secretId, manualId]])
            #expect(reordered.status == 200, "\(reordered.text)")
            let order = (reordered.json["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(order == [secretId, manualId])
            #expect((reordered.json["data"] as? [[String: Any]])?.compactMap { $0["position"] as? Int } == [0, 1])

            // Held: a decision, then one refused for want of its note.
            let held = try await api.call(.post, path + "/transitions", as: .coordinator, json: ["to": "held"])
            #expect(held.status == 200 && held.json["status"] as? String == "held", "\(held.text)")
            let decided = try await api.call(
                .post, path + "/items/\(manualId)/decisions", as: .coordinator, json: ["kind": "no_action", "note": "Travaux deja commandes"])
            #expect(decided.status == 201, "\(decided.text)")
            #expect(decided.json["kind"] as? String == "no_action" && decided.json["item_id"] as? String == manualId)
            let noNote = try await api.call(.post, path + "/items/\(manualId)/decisions", as: .coordinator, json: ["kind": "no_action"])
            #expect(noNote.status == 422 && noNote.invalidFields == ["note"], "\(noNote.text)")

            // The minutes, written for everyone, then approved.
            let written = try await api.call(
                .put, path + "/minutes", as: .coordinator,
                json: ["text": "La cellule a fait le point sur le quartier.\n\nProchaine reunion en decembre.", "visibility": "public"])
            #expect(written.status == 200 && written.json["has_minutes"] as? Bool == true, "\(written.text)")
            #expect(written.json["minutes_visibility"] as? String == "public")
            let approved = try await api.call(.post, path + "/transitions", as: .coordinator, json: ["to": "minutes_approved"])
            #expect(approved.status == 200 && approved.json["status"] as? String == "minutes_approved", "\(approved.text)")
            #expect(approved.json["minutes_approved_at"] is String)

            // A resident reads them, without the confidential item, as JSON, Markdown and a printable page.
            let minutes = try await api.call(.get, path + "/minutes", as: .resident)
            #expect(minutes.status == 200, "\(minutes.text)")
            #expect(minutes.json["visibility"] as? String == "public")
            #expect((minutes.json["text"] as? String)?.hasPrefix("La cellule a fait le point") == true)
            #expect((minutes.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [manualId])
            #expect((minutes.json["decisions"] as? [[String: Any]])?.count == 1)
            #expect(!minutes.text.contains("Menaces envers un gardien"))
            let official = try await api.call(.get, path + "/minutes", as: .coordinator)
            #expect((official.json["items"] as? [[String: Any]])?.count == 2, "the coordination reads every item")

            var markdownAccept = HTTPFields()
            markdownAccept[.accept] = "text/markdown"
            let markdown = try await api.call(.get, path + "/minutes", as: .resident, headers: markdownAccept)
            #expect(markdown.status == 200 && markdown.headers[.contentType]?.hasPrefix("text/markdown") == true)
            #expect(markdown.text.hasPrefix("# Cellule de veille : Cellule de veille des Hauts"), "\(markdown.text)")
            #expect(markdown.text.contains("Eclairage du parking Bellevue") && markdown.text.contains("Travaux deja commandes"))
            #expect(!markdown.text.contains("Menaces envers un gardien"))

            var htmlAccept = HTTPFields()
            htmlAccept[.accept] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
            let page = try await api.call(.get, path + "/minutes", as: .resident, headers: htmlAccept)
            #expect(page.status == 200 && page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.text.contains("<h1>Cellule de veille des Hauts</h1>") && page.text.contains("Eclairage du parking Bellevue"))
            #expect(page.text.contains(#"<span id="decisions">1</span>"#))
            #expect(!page.text.contains("Menaces envers un gardien") && !page.text.contains("(confidentiel)"))
            let policy = page.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
            #expect(policy.contains("style-src 'sha256-") && !policy.contains("script-src"), "\(policy)")

            var pdfAccept = HTTPFields()
            pdfAccept[.accept] = "application/pdf"
            #expect(try await api.call(.get, path + "/minutes", as: .resident, headers: pdfAccept).status == 406)

            // What residents and other partners do not see.
            #expect(try await api.call(.get, path + "/items/\(secretId)", as: .resident).status == 404)
            #expect(try await api.call(.get, path + "/items/\(secretId)", as: .coordinator).status == 200)
            let technicianB = try await f.store.issuePersonalToken(userId: f.technicianB.id, name: "t", lifetime: 600, createdBy: nil).secret
            #expect(try await api.call(.get, path, token: technicianB).status == 404)
            #expect(try await api.call(.get, path).status == 401)
            #expect(try await api.call(.get, "/v1/meetings").status == 401)
        }
    }
}
