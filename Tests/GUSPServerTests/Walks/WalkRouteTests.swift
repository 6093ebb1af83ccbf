import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import HTTPTypes
import Testing

/// Walks as a coordinator's tablet and the bailleur's tablet speak to them over HTTP.
@Suite("Walk routes")
struct WalkRouteTests {
    @Test("plan, hold, count, a batch from a tablet, conversions, the report", arguments: TestDatabases.engines)
    func story(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            let places = try await f.drawContours()
            let starts = Date().addingTimeInterval(-3 * 3_600)
            let dates = ISO8601DateFormatter()
            let created = try await api.call(
                .post, "/v1/walks", as: .coordinator,
                json: [
                    "kind": "diagnostic", "title": "Diagnostic en marchant", "territory_id": f.qpvA.id,
                    "starts_at": dates.string(from: starts), "ends_at": dates.string(from: starts.addingTimeInterval(10_800)),
                    "organiser_partner_id": places.villeA.id, "invited_partner_ids": [f.partnerA.id],
                    "route": ["type": "LineString", "coordinates": [[4.906, 44.926], [4.912, 44.931]]],
                    "stops": [["label": "Passage du 12", "location": ["lat": 44.931, "long": 4.912]]],
                ])
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            #expect((created.json["route"] as? [String: Any])?["type"] as? String == "LineString")
            let renamed = try await api.call(.patch, "/v1/walks/\(id)", as: .coordinator, json: ["title": "Diagnostic d'automne", "route": NSNull()])
            #expect(renamed.status == 200 && renamed.json["route"] == nil && renamed.json["title"] as? String == "Diagnostic d'automne")
            #expect(try await api.call(.post, "/v1/walks/\(id)/transitions", as: .coordinator, json: ["to": "held"]).status == 200)
            let attendance = try await api.call(
                .put, "/v1/walks/\(id)/attendance", as: .coordinator,
                json: ["counts": [["role": "resident", "age_band": "adult", "count": 12], ["role": "elected", "count": 1]]])
            #expect(attendance.status == 200 && attendance.json["participants"] as? Int == 13)

            let items: [[String: Any]] = [
                ["client_id": "a", "stop": 0, "polarity": "negative", "category_id": try await f.category("voirie"), "text": "Nid-de-poule"],
                ["client_id": "b", "stop": 0, "polarity": "negative", "theme": "lighting", "text": "Sombre", "answers": ["eclairage": "1"]],
                ["client_id": "c", "stop": 0, "polarity": "negative", "theme": "lighting", "text": "x", "answers": ["eclairage": "9"]],
            ]
            let batch = try await api.call(.post, "/v1/walks/\(id)/observations:batch", as: .technician, json: ["items": items])
            #expect(batch.status == 200, "\(batch.text)")
            #expect(batch.json["created"] as? Int == 2 && batch.json["failed"] as? Int == 1)
            let results = try #require(batch.json["data"] as? [[String: Any]])
            #expect(results[2]["status"] as? Int == 422)
            #expect(((results[2]["errors"] as? [[String: Any]])?.first?["field"] as? String) == "items[2].answers.eclairage")
            let replay = try await api.call(.post, "/v1/walks/\(id)/observations", as: .technician, json: items[1])
            #expect(replay.status == 200 && replay.json["id"] as? String == results[1]["observation_id"] as? String)
            #expect(try await api.call(.post, "/v1/walks/\(id)/observations", as: .elected, json: items[1]).status == 403)

            let due = LandParcel.day(of: Date().addingTimeInterval(60 * 86_400))
            let converted = try await api.call(
                .post, "/v1/walks/\(id)/conversions", as: .coordinator,
                json: [
                    "items": [
                        ["observation_id": results[0]["observation_id"]!, "to": "signalement"],
                        ["observation_id": results[1]["observation_id"]!, "to": "engagement", "lead_partner_id": places.villeA.id, "due_date": due],
                        ["observation_id": results[1]["observation_id"]!, "to": "engagement"],
                    ]
                ])
            #expect(converted.status == 200, "\(converted.text)")
            #expect(converted.json["converted"] as? Int == 2 && converted.json["failed"] as? Int == 1)
            let report = try await api.call(.get, "/v1/walks/\(id)/report", as: .coordinator)
            #expect(report.status == 200 && (report.json["follow_ups"] as? [[String: Any]])?.count == 2)
            #expect(report.json["participants"] as? Int == 13 && report.json["negative"] as? Int == 2)
            var csvAccept = HTTPFields()
            csvAccept[.accept] = "text/csv"
            let csv = try await api.call(.get, "/v1/walks/\(id)/report", as: .coordinator, headers: csvAccept)
            #expect(csv.status == 200 && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 3 && lines[0].hasPrefix("Identifiant de l'observation,Identifiant sur la tablette,Arrêt (n°),Arrêt,"))
            #expect(lines[1].contains("Passage du 12") && lines[1].contains(",signalement,sig_"))
            let badDay = try await api.call(.get, "/v1/walks/\(id)/report?as_of=demain", as: .coordinator)
            #expect(badDay.status == 422 && badDay.invalidFields == ["as_of"])
            #expect(try await api.call(.get, "/v1/walks/\(id)/report", as: .resident).status == 404, "not yet published")

            let grids = try await api.call(.get, "/v1/observation-grids", as: .technician)
            #expect((grids.json["data"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["diagnostic", "marche_exploratoire"])
            // A tablet's day of long observations is more than the 1 MiB of other bodies.
            let long = String(repeating: "Dépôts au pied de l'immeuble. ", count: 100)
            let day = (0..<400).map { ["client_id": "long-\($0)", "stop": 0, "polarity": "negative", "theme": "cleanliness", "text": long] }
            let big = try await api.call(.post, "/v1/walks/\(id)/observations:batch", as: .technician, json: ["items": day])
            #expect(big.status == 200 && big.json["created"] as? Int == 400, "\(big.status)")
            // A photo from the tablet, its GPS removed; a GIF is refused before anything is stored.
            var jpeg = HTTPFields()
            jpeg[.contentType] = "image/jpeg"
            let photoPath = "/v1/walks/\(id)/observations/\(results[0]["observation_id"]!)/photos"
            let photo = try await api.call(
                .post, photoPath, as: .technician, raw: Data(try TestData.bytes("photo-with-exif.jpg")), headers: jpeg)
            #expect(photo.status == 201 && photo.json["published"] as? Bool == false, "\(photo.text)")
            let photoURL = try #require(photo.json["url"] as? String)
            let gif = try await api.call(.post, photoPath, as: .technician, raw: Data("GIF89a".utf8), headers: jpeg)
            #expect(gif.status == 422 && gif.invalidFields == ["photo"])

            // Published: the printable page and the Markdown, by Accept; the page's one style allowed, no script.
            let published = try await api.call(.post, "/v1/walks/\(id)/report:publish", as: .coordinator, json: ["summary": "Synthèse <b>libre</b>"])
            #expect(published.status == 201 && published.json["version"] as? Int == 1, "\(published.text)")
            #expect(try await api.call(.post, "/v1/walks/\(id)/report:publish", as: .elected, json: [:]).status == 403)
            var htmlAccept = HTTPFields()
            htmlAccept[.accept] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
            let page = try await api.call(.get, "/v1/walks/\(id)/report", as: .resident, headers: htmlAccept)
            #expect(page.status == 200 && page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.text.contains(#"<strong id="participants">13</strong>"#) && page.text.contains("Synthèse &lt;b&gt;libre&lt;/b&gt;"))
            let policy = page.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
            #expect(policy.contains("style-src 'sha256-") && !policy.contains("script-src") && policy.hasPrefix("default-src 'none'"))
            var markdownAccept = HTTPFields()
            markdownAccept[.accept] = "text/markdown"
            let markdown = try await api.call(.get, "/v1/walks/\(id)/report", as: .resident, headers: markdownAccept)
            #expect(markdown.status == 200 && markdown.text.hasPrefix("# Compte-rendu : Diagnostic d'automne"))
            #expect(markdown.text.contains("Synthèse \\<b\\>libre\\</b\\>"), "participants' words are not markup")
            var pdfAccept = HTTPFields()
            pdfAccept[.accept] = "application/pdf"
            let pdf = try await api.call(.get, "/v1/walks/\(id)/report", as: .coordinator, headers: pdfAccept)
            #expect(pdf.status == 406)
            // Residents see the photo once a coordinator publishes it.
            #expect(try await api.call(.get, photoURL, as: .resident).status == 404)
            #expect(try await api.call(.patch, photoURL, as: .coordinator, json: ["published": true]).status == 200)
            let shown = try await api.call(.get, photoURL, as: .resident)
            #expect(shown.status == 200 && shown.headers[.contentType] == "image/jpeg" && !shown.text.contains("Exif"))
            #expect(try await api.call(.get, "/v1/walks").status == 401)
        }
    }
}
