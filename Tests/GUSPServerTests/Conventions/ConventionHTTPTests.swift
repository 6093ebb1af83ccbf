import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import HTTPTypes
import Testing

@Suite("Conventions, interventions and the ATFPB bilan over HTTP")
struct ConventionHTTPTests {
    static func token(_ api: API, _ user: User) async throws -> String {
        try await api.fixture.store.issuePersonalToken(userId: user.id, name: "test", lifetime: 3_600, createdBy: nil).secret
    }

    @Test("create, sign by each signatory, read every version; residents read the active one without budgets", arguments: TestDatabases.engines)
    func conventionFlow(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            let people = try await f.signatories()
            let lifts = try await f.category("parties_communes")
            let created = try await api.call(
                .post, "/v1/conventions", as: .coordinator,
                json: [
                    "kind": "gusp", "title": "Convention GUSP", "start_date": "2025-01-01", "end_date": "2030-12-31",
                    "territory_ids": [f.qpvA.id], "signatory_ids": [people.ville.id, f.partnerA.id],
                    "axes": [["code": "A1", "title": "Propreté"]],
                    "service_commitments": [["category_id": lifts, "partner_id": f.partnerA.id, "delay": ["amount": 4, "unit": "hours"]]],
                    "action_sheets": [
                        [
                            "axis": "A1", "title": "Halls", "objective": "Halls propres", "lead_partner_id": f.partnerA.id,
                            "budget_cents": 120_000, "indicators": [["label": "halls", "target": "100 %"]],
                        ]
                    ],
                ])
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["status"] as? String == "draft")
            #expect(created.headers[.eTag] == "\"1\"")
            let id = created.json["id"] as! String
            let elected = try await Self.token(api, people.electedVille)
            let bailleur = try await Self.token(api, people.bailleurCoordinator)
            func sign(_ token: String, _ tag: String?) async throws -> Reply {
                try await api.call(.post, "/v1/conventions/\(id)/signatures", token: token, headers: tag.map { [.ifMatch: $0] } ?? [:])
            }
            // A signature names the revision read: none is 428, an old one 412.
            #expect(try await sign(elected, nil).status == 428)
            #expect(try await sign(elected, "*").status == 428)
            let first = try await sign(elected, "\"1\"")
            #expect(first.status == 201, "\(first.text)")
            #expect(first.json["version_in_force"] as? Bool == false)
            #expect(try await sign(elected, "\"2\"").status == 409)
            #expect(try await sign(try await Self.token(api, people.electedB), "\"2\"").status == 404)
            let staleSignature = try await sign(bailleur, "\"1\"")
            #expect(staleSignature.status == 412, "\(staleSignature.text)")
            #expect(staleSignature.headers[.eTag] == "\"2\"")
            let last = try await sign(bailleur, "\"2\"")
            #expect(last.status == 201, "\(last.text)")
            #expect(last.json["version_in_force"] as? Bool == true)
            let convention = last.json["convention"] as! [String: Any]
            #expect(convention["status"] as? String == "active")
            #expect((convention["signatures"] as? [Any])?.count == 2)

            let stale = try await api.call(
                .patch, "/v1/conventions/\(id)", as: .coordinator, json: ["budgets_public": true],
                headers: [.ifMatch: "\"1\""])
            #expect(stale.status == 412)
            let patched = try await api.call(.patch, "/v1/conventions/\(id)", as: .coordinator, json: ["title": "Autre titre"])
            #expect(patched.status == 409)

            let amendment = try await api.call(
                .post, "/v1/conventions/\(id)/amendments", as: .coordinator,
                json: [
                    "number": 1, "summary": "Engagement de 2 h",
                    "changes": [
                        "service_commitments": [["category_id": lifts, "delay": ["amount": 2, "unit": "hours"]]]
                    ],
                ])
            #expect(amendment.status == 201, "\(amendment.text)")
            #expect(amendment.json["number"] as? Int == 2)
            #expect(amendment.json["amendment_number"] as? Int == 1)
            #expect(amendment.json["in_force"] as? Bool == false)
            let versions = try await api.call(.get, "/v1/conventions/\(id)/versions", as: .elected)
            #expect((versions.json["data"] as? [[String: Any]])?.map { $0["number"] as? Int } == [1, 2])
            let original = try await api.call(.get, "/v1/conventions/\(id)/versions/1", as: .technician)
            let content = original.json["content"] as? [String: Any]
            #expect((content?["service_commitments"] as? [[String: Any]])?.first?["partner_id"] as? String == f.partnerA.id)
            #expect(try await api.call(.get, "/v1/conventions/\(id)/versions/9", as: .technician).status == 404)

            let public_ = try await api.call(.get, "/v1/conventions/\(id)", as: .resident)
            #expect(public_.status == 200, "\(public_.text)")
            #expect(public_.json["budgets_hidden"] as? Bool == true)
            let sheet = (public_.json["action_sheets"] as? [[String: Any]])?.first
            #expect(sheet?["title"] as? String == "Halls")
            #expect(sheet?["budget_cents"] == nil)
            let history = try await api.call(.get, "/v1/conventions/\(id)/events", as: .coordinator)
            #expect(
                (history.json["data"] as? [[String: Any]])?.compactMap { $0["action"] as? String }
                    == ["created", "signed", "signed", "status_changed", "amendment_proposed"])
            #expect(try await api.call(.get, "/v1/conventions/\(id)/events", as: .resident).status == 403)
        }
    }

    @Test(
        "PUT by external id: 201 created, 200 unchanged, 200 updated; fractions of a cent and 501 items are refused",
        arguments: TestDatabases.engines)
    func interventions(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            let path = "/v1/partners/\(f.partnerA.id)/interventions/VRH-42"
            let body: [String: Any] = [
                "kind": "nettoyage", "status": "planned", "scheduled_at": "2026-10-01T08:00:00+02:00",
                "territory_id": f.qpvA.id, "amounts": ["planned_cents": 45_000],
            ]
            let created = try await api.call(.put, path, as: .partnerSystem, json: body)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.headers[HTTPField.Name("Upsert-Outcome")!] == "created", "\(created.text)")
            #expect(created.json["scheduled_at"] as? String == "2026-10-01T06:00:00Z")
            let same = try await api.call(.put, path, as: .partnerSystem, json: body)
            #expect(same.status == 200, "\(same.text)")
            #expect(same.headers[HTTPField.Name("Upsert-Outcome")!] == "unchanged")
            #expect(same.json["version"] as? Int == 1)
            var changed = body
            changed["status"] = "in_progress"
            let updated = try await api.call(.put, path, as: .technician, json: changed)
            #expect(updated.status == 200, "\(updated.text)")
            #expect(updated.headers[HTTPField.Name("Upsert-Outcome")!] == "updated")
            #expect(updated.headers[.eTag] == "\"2\"")

            var fraction = body
            fraction["amounts"] = ["realised_cents": 12.5]
            let refused = try await api.call(.put, "/v1/partners/\(f.partnerA.id)/interventions/VRH-43", as: .partnerSystem, json: fraction)
            #expect(refused.status == 422, "\(refused.text)")
            #expect(refused.invalidFields == ["amounts.realised_cents"], "\(refused.text)")
            #expect(try await api.call(.put, path, as: .partnerSystem, json: body.merging(["amounts": ["planned_cents": -1]]) { $1 }).status == 422)

            let batch = try await api.call(
                .post, "/v1/partners/\(f.partnerA.id)/interventions:batch", as: .partnerSystem,
                json: [
                    "items": [
                        body.merging(["external_id": "VRH-42"]) { $1 },
                        body.merging(["external_id": "VRH-44"]) { $1 },
                        body.merging(["external_id": "VRH-45", "status": "done"]) { $1 },
                        body.merging(["external_id": "VRH-46", "amounts": ["realised_cents": 0.5]]) { $1 },
                        body.merging(["external_id": "VRH-47", "status": "finished"]) { $1 },
                    ]
                ])
            #expect(batch.status == 200, "\(batch.text)")
            let results = batch.json["data"] as? [[String: Any]] ?? []
            #expect(results.compactMap { $0["outcome"] as? String } == ["updated", "created", "error", "error", "error"])
            #expect(results[4]["external_id"] as? String == "VRH-47")
            #expect(results[4]["status"] as? Int == 422)
            #expect((results[4]["errors"] as? [[String: Any]])?.first?["field"] as? String == "items[4].status")
            #expect(results[2]["status"] as? Int == 422)
            #expect((results[2]["errors"] as? [[String: Any]])?.first?["field"] as? String == "items[2].done_at")
            #expect((results[3]["errors"] as? [[String: Any]])?.first?["field"] as? String == "items[3].amounts.realised_cents")
            #expect(batch.json["created"] as? Int == 1)
            #expect(batch.json["updated"] as? Int == 1)
            #expect(batch.json["failed"] as? Int == 3)

            let tooMany = (0...500).map { body.merging(["external_id": "M-\($0)"]) { $1 } }
            let refusedBatch = try await api.call(
                .post, "/v1/partners/\(f.partnerA.id)/interventions:batch", as: .partnerSystem,
                json: ["items": tooMany])
            #expect(refusedBatch.status == 422, "\(refusedBatch.text)")
            #expect(refusedBatch.invalidFields == ["items"], "\(refusedBatch.text)")
            let list = try await api.call(.get, "/v1/interventions?limit=500", as: .admin)
            #expect((list.json["data"] as? [Any])?.count == 2)
            let id = created.json["id"] as! String
            let events = try await api.call(.get, "/v1/interventions/\(id)/events", as: .technician)
            #expect((events.json["data"] as? [[String: Any]])?.compactMap { $0["action"] as? String } == ["created", "updated", "updated"])
        }
    }

    @Test("the ATFPB bilan as JSON by default and as CSV when asked", arguments: TestDatabases.engines)
    func atfpbReport(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            let people = try await f.signatories()
            let convention = try await f.signedConvention(
                people,
                NewConvention(
                    kind: .atfpb, title: "ATFPB VRH", startDate: "2025-01-01", endDate: "2030-12-31", territoryIds: [f.qpvA.id],
                    signatoryIds: [f.partnerA.id, people.ville.id], bailleurId: f.partnerA.id))
            let programme = try await api.call(
                .put, "/v1/conventions/\(convention.id)/atfpb-programme/2026", as: .technician,
                json: [
                    "lines": [["axis": 5, "territory_id": f.qpvA.id, "planned_cents": 1_234_567, "actions": "Médiation, soirées"]]
                ])
            #expect(programme.status == 200, "\(programme.text)")
            _ = try await api.call(
                .put, "/v1/partners/\(f.partnerA.id)/interventions/T-1", as: .partnerSystem,
                json: [
                    "kind": "médiation", "status": "done", "done_at": "2026-03-10T20:00:00+01:00", "territory_id": f.qpvA.id, "atfpb_axis": 5,
                    "amounts": ["realised_cents": 100_001, "atfpb_share_cents": 100_000, "other_funding_cents": 1],
                ])
            let json = try await api.call(.get, "/v1/conventions/\(convention.id)/atfpb-report?year=2026", as: .elected)
            #expect(json.status == 200, "\(json.text)")
            #expect(json.headers[.contentType]?.hasPrefix("application/json") == true)
            let totals = json.json["totals"] as? [String: Any]
            #expect(totals?["planned_cents"] as? Int == 1_234_567)
            #expect(totals?["realised_cents"] as? Int == 100_001)
            let csv = try await api.call(
                .get, "/v1/conventions/\(convention.id)/atfpb-report?year=2026", as: .elected,
                headers: [.accept: "text/csv"])
            #expect(csv.status == 200, "\(csv.text)")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8; header=present")
            let rows = csv.text.split(separator: "\r\n").map(String.init)
            #expect(rows[0].hasPrefix("Année,Axe,Intitulé de l'axe,Identifiant du territoire,Code du territoire,Territoire,Prévu (€)"))
            #expect(
                rows[1]
                    == "2026,5,Tranquillité résidentielle,\(f.qpvA.id),QN02607M,\(f.qpvA.label),12345.67,1000.01,1000.00,0.01,1,\"Médiation, soirées\""
            )
            #expect(try await api.call(.get, "/v1/conventions/\(convention.id)/atfpb-report?year=2026", as: .resident).status == 403)
            let noYear = try await api.call(.get, "/v1/conventions/\(convention.id)/atfpb-report", as: .elected)
            #expect(noYear.status == 422)
            #expect(noYear.invalidFields == ["year"])
            let html = try await api.call(
                .get, "/v1/conventions/\(convention.id)/atfpb-report?year=2026", as: .elected,
                headers: [.accept: "text/html"])
            #expect(html.status == 406)
        }
    }
}
