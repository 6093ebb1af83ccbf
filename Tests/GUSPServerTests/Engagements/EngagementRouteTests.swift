import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import HTTPTypes
import Testing

/// Engagements as a partner dashboard reads and writes them over HTTP.
@Suite("Engagement routes")
struct EngagementRouteTests {
    @Test("create, read with its ETag, patch with If-Match, clear by null, follow the events", arguments: TestDatabases.engines)
    func story(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            let due = LandParcel.day(of: Date().addingTimeInterval(14 * 86_400))
            let created = try await api.call(
                .post, "/v1/engagements", as: .coordinator,
                json: [
                    "title": "Réunion inter-bailleurs sur les encombrants", "description": "Avec la métropole", "territory_id": f.qpvA.id,
                    "lead_partner_id": f.partnerA.id, "partner_ids": [f.partnerB.id], "due_date": due, "public": true,
                ])
            #expect(created.status == 201, "\(created.text)")
            #expect(created.headers[.eTag] == "\"1\"")
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["status"] as? String == "planned" && created.json["overdue"] as? Bool == false)
            #expect(created.json["public"] as? Bool == true && created.json["escalation_level"] as? Int == 0)
            #expect(created.json["due_date"] as? String == due && created.json["source"] as? String == "other")

            let read = try await api.call(.get, "/v1/engagements/\(id)", as: .resident)
            #expect(read.status == 200 && read.headers[.eTag] == "\"1\"")

            var stale = HTTPFields()
            stale[.ifMatch] = "\"7\""
            #expect(
                try await api.call(.patch, "/v1/engagements/\(id)", as: .technician, json: ["status": "in_progress"], headers: stale).status == 412)
            var current = HTTPFields()
            current[.ifMatch] = "\"1\""
            let started = try await api.call(.patch, "/v1/engagements/\(id)", as: .technician, json: ["status": "in_progress"], headers: current)
            #expect(started.status == 200 && started.json["status"] as? String == "in_progress" && started.headers[.eTag] == "\"2\"")

            let nullTitle = try await api.call(.patch, "/v1/engagements/\(id)", as: .coordinator, json: ["title": NSNull()])
            #expect(nullTitle.status == 422 && nullTitle.invalidFields == ["title"])
            let cleared = try await api.call(.patch, "/v1/engagements/\(id)", as: .coordinator, json: ["description": NSNull()])
            #expect(cleared.status == 200 && cleared.json["description"] == nil)

            let dropped = try await api.call(.patch, "/v1/engagements/\(id)", as: .coordinator, json: ["status": "dropped"])
            #expect(dropped.status == 422 && dropped.invalidFields == ["status_note"])
            let badDay = try await api.call(.post, "/v1/engagements/\(id)/updates", as: .technician, json: ["date": "hier", "note": "x"])
            #expect(badDay.status == 422 || badDay.status == 400)
            let today = LandParcel.day(of: Date())
            let noted = try await api.call(.post, "/v1/engagements/\(id)/updates", as: .technician, json: ["date": today, "note": "Date fixée"])
            #expect(noted.status == 201 && (noted.json["updates"] as? [[String: Any]])?.first?["note"] as? String == "Date fixée")

            let list = try await api.call(.get, "/v1/engagements?status=in_progress&overdue=false&territory=\(f.communeA.id)", as: .elected)
            #expect(list.status == 200 && (list.json["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])
            let badFilter = try await api.call(.get, "/v1/engagements?due_before=bientot", as: .coordinator)
            #expect(badFilter.status == 400 || badFilter.status == 422)

            let events = try await api.call(.get, "/v1/engagements/\(id)/events", as: .coordinator)
            #expect(
                (events.json["data"] as? [[String: Any]])?.compactMap { $0["action"] as? String } == [
                    "created", "status_changed", "updated", "update_added",
                ])
            #expect(try await api.call(.get, "/v1/engagements/\(id)/events", as: .resident).status == 403)
            #expect(try await api.call(.get, "/v1/engagements/eng_nope", as: .coordinator).status == 404)
            #expect(try await api.call(.get, "/v1/engagements").status == 401)
        }
    }
}
