import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import HTTPTypes
import Testing

@Suite("Escalations and webhook subscriptions over HTTP")
struct WorkerHTTPTests {
    @Test("a subscription's secret is shown once; reads, changes and deletion follow", arguments: TestDatabases.engines)
    func subscriptions(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let created = try await api.call(
                .post, "/v1/webhook-subscriptions", as: .partnerSystem,
                json: [
                    "url": "https://93.184.216.34/gusp", "event_types": ["signalement.created", "signalement.escalated"], "description": "SI VRH",
                ])
            #expect(created.status == 201, "\(created.text)")
            #expect(created.headers[.cacheControl] == "no-store")
            #expect((created.json["secret"] as? String)?.hasPrefix("whsec_") == true)
            let subscription = created.json["subscription"] as! [String: Any]
            let id = subscription["id"] as! String
            #expect(subscription["partner_id"] as? String == api.fixture.partnerA.id)
            let read = try await api.call(.get, "/v1/webhook-subscriptions/\(id)", as: .technician)
            #expect(read.status == 200, "\(read.text)")
            #expect(read.json["secret"] == nil)
            #expect(!read.text.contains("whsec_"))
            let refused = try await api.call(
                .post, "/v1/webhook-subscriptions", as: .partnerSystem,
                json: ["url": "https://169.254.169.254/latest", "event_types": ["*"]])
            #expect(refused.status == 422, "\(refused.text)")
            #expect(refused.invalidFields == ["url"])
            let unknown = try await api.call(
                .post, "/v1/webhook-subscriptions", as: .partnerSystem,
                json: ["url": "https://93.184.216.34/x", "event_types": ["signalement.deleted"]])
            #expect(unknown.status == 422, "\(unknown.text)")
            #expect(unknown.invalidFields == ["event_types[0]"], "\(unknown.text)")
            let paused = try await api.call(
                .patch, "/v1/webhook-subscriptions/\(id)", as: .partnerSystem, json: ["active": false, "description": nil],
                headers: [.ifMatch: "\"1\""])
            #expect(paused.status == 200, "\(paused.text)")
            #expect(paused.json["active"] as? Bool == false)
            #expect(paused.json["description"] == nil)
            #expect(try await api.call(.get, "/v1/webhook-subscriptions/\(id)/deliveries", as: .partnerSystem).status == 200)
            #expect(try await api.call(.get, "/v1/webhook-subscriptions", as: .coordinator).status == 403)
            #expect(try await api.call(.delete, "/v1/webhook-subscriptions/\(id)", as: .partnerSystem).status == 204)
            #expect(try await api.call(.get, "/v1/webhook-subscriptions/\(id)", as: .partnerSystem).status == 404)
        }
    }

    @Test("escalations are listed by state and acknowledged by the escalated party", arguments: TestDatabases.engines)
    func escalations(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            let places = try await f.drawContours()
            let filed = try await f.store.createSignalement(
                NewSignalement(
                    categoryId: try await f.category("parties_communes"), description: "Ascenseur", location: places.inQPV),
                by: try await f.actor(.resident)
            ).signalement
            try await f.store.database.write { db in
                try await db.raw("UPDATE signalements SET next_escalation_at = 0 WHERE id = \(bind: filed.id)").run()
            }
            #expect(try await f.store.sweepEscalations().escalated == 1)
            let open = try await api.call(.get, "/v1/escalations?state=open&level=1", as: .technician)
            let data = open.json["data"] as? [[String: Any]] ?? []
            #expect(data.count == 1)
            #expect(data.first?["audience"] as? String == "partner")
            #expect(data.first?["signalement_id"] as? String == filed.id)
            let id = data.first?["id"] as? String ?? ""
            #expect(try await api.call(.post, "/v1/escalations/\(id)/acknowledge", as: .coordinator).status == 403)
            let acknowledged = try await api.call(.post, "/v1/escalations/\(id)/acknowledge", as: .technician)
            #expect(acknowledged.status == 200, "\(acknowledged.text)")
            #expect(acknowledged.json["acknowledged_at"] != nil)
            #expect(try await api.call(.post, "/v1/escalations/\(id)/acknowledge", as: .partnerSystem).status == 409)
            let remaining = try await api.call(.get, "/v1/escalations?state=open", as: .admin)
            #expect((remaining.json["data"] as? [Any])?.isEmpty == true)
            #expect(try await api.call(.get, "/v1/escalations", as: .resident).status == 403)
        }
    }
}

@Suite("Indicators over HTTP")
struct IndicatorHTTPTests {
    @Test("the catalogue, a series as JSON and CSV, and the dashboard", arguments: TestDatabases.engines)
    func indicators(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            let places = try await f.drawContours()
            _ = try await f.store.createSignalement(
                NewSignalement(
                    categoryId: try await f.category("parties_communes"), description: "Ascenseur", location: places.inQPV),
                by: try await f.actor(.resident))
            let catalogue = try await api.call(.get, "/v1/indicators", as: .resident)
            let codes = (catalogue.json["data"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
            #expect(codes.contains("signalements_received"))
            #expect(codes.contains("resolved_within_commitment_rate"))
            let today = LandParcel.day(of: Date())
            let series = try await api.call(.get, "/v1/indicators/signalements_received?from=\(today)&to=\(today)&group_by=day", as: .coordinator)
            #expect(series.status == 200, "\(series.text)")
            #expect((series.json["total"] as? [String: Any])?["value"] as? Double == 1, "\(series.text)")
            let csv = try await api.call(
                .get, "/v1/indicators/signalements_received?from=\(today)&to=\(today)&group_by=day", as: .coordinator,
                headers: [.accept: "text/csv"])
            #expect(csv.status == 200, "\(csv.text)")
            #expect(csv.text == "Clé,Code,Libellé,Valeur,Effectif\r\n\(today),\(today),\(today),1,1\r\ntotal,total,Total,1,1\r\n")
            let dashboard = try await api.call(.get, "/v1/dashboard?from=\(today)&to=\(today)&territory=\(f.qpvA.id)", as: .elected)
            let figures = dashboard.json["figures"] as? [[String: Any]] ?? []
            #expect(figures.first { $0["code"] as? String == "backlog_now" }?["value"] as? Double == 1)
            let entries = catalogue.json["data"] as? [[String: Any]] ?? []
            let completion = entries.first { $0["code"] as? String == "action_sheet_completion" }
            #expect(completion?["groupings"] as? [String] == ["convention"])
            #expect(completion?["public"] as? Bool == false)
            let amounts = try await api.call(.get, "/v1/indicators/atfpb_realised_cents?from=\(today)&to=\(today)&group_by=axis", as: .coordinator)
            #expect(amounts.status == 200, "\(amounts.text)")
            #expect(amounts.json["unit"] as? String == "cents", "\(amounts.text)")
            #expect(try await api.call(.get, "/v1/indicators/atfpb_realised_cents?from=\(today)&to=\(today)", as: .resident).status == 403)
            #expect(try await api.call(.get, "/v1/indicators/backlog_now?from=\(today)&to=\(today)&group_by=axis", as: .admin).status == 422)
            #expect(try await api.call(.get, "/v1/indicators/nope?from=\(today)&to=\(today)", as: .admin).status == 404)
            #expect(try await api.call(.get, "/v1/indicators/signalements_received?from=x&to=\(today)", as: .admin).status == 422)
        }
    }
}
