import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import HTTPTypes
import Testing

@Suite("Resource flows over HTTP")
struct ResourceFlowTests {
    @Test("a territory with a contour: create, read the geometry, list without it, remove it", arguments: TestDatabases.engines)
    func territoryGeometry(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            _ = try await api.fixture.drawContours()  // a sector's contour lies within its QPV's
            let square: [String: Any] = [
                "type": "Polygon",
                "coordinates": [[[4.905, 44.925], [4.915, 44.925], [4.915, 44.935], [4.905, 44.935], [4.905, 44.925]]],
            ]
            let created = try await api.call(
                .post, "/v1/territories", as: .coordinator,
                json: [
                    "kind": "sector", "code": "fontbarlettes", "label": "Fontbarlettes",
                    "parent_id": api.fixture.qpvA.id, "geometry": square,
                ])
            #expect(created.status == 201)
            let id = try #require(created.json["id"] as? String)
            let read = try await api.call(.get, "/v1/territories/\(id)", as: .resident)
            #expect(read.json["has_geometry"] as? Bool == true)
            #expect((read.json["geometry"] as? [String: Any])?["type"] as? String == "Polygon")
            let listed = try await api.call(.get, "/v1/territories?parent=\(api.fixture.qpvA.id)", as: .resident)
            let row = (listed.json["data"] as? [[String: Any]])?.first { $0["id"] as? String == id }
            #expect(row?["has_geometry"] as? Bool == true)
            #expect(row?["geometry"] == nil)
            let open: [String: Any] = ["type": "Polygon", "coordinates": [[[4.9, 44.9], [4.95, 44.9], [4.95, 44.95], [4.9, 44.95]]]]
            let invalid = try await api.call(.patch, "/v1/territories/\(id)", as: .coordinator, json: ["geometry": open])
            #expect(invalid.status == 422, "\(invalid.text)")
            #expect(invalid.invalidFields == ["geometry.coordinates[0]"], "\(invalid.text)")
            let removed = try await api.call(.patch, "/v1/territories/\(id)", as: .coordinator, json: ["geometry": NSNull()])
            #expect(removed.status == 200, "\(removed.text)")
            #expect(removed.json["has_geometry"] as? Bool == false)
            let history = try await api.call(.get, "/v1/events?resource_type=territory&resource_id=\(id)", as: .coordinator)
            #expect((history.json["data"] as? [[String: Any]])?.map { $0["action"] as? String } == ["created", "updated"])
        }
    }

    @Test("a category's commitment is set, changed and removed; codes are unique", arguments: TestDatabases.engines)
    func categoryCommitment(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let created = try await api.call(
                .post, "/v1/categories", as: .admin,
                json: [
                    "code": "mobilier_urbain", "label": "Mobilier urbain",
                    "commitment": ["amount": 10, "unit": "business_days"],
                ])
            #expect(created.status == 201)
            let id = try #require(created.json["id"] as? String)
            #expect((created.json["commitment"] as? [String: Any])?["unit"] as? String == "business_days")
            #expect(created.json["resident_fileable"] as? Bool == true)
            let duplicate = try await api.call(.post, "/v1/categories", as: .admin, json: ["code": "mobilier_urbain", "label": "Bis"])
            #expect(duplicate.status == 409)
            let negative = try await api.call(.patch, "/v1/categories/\(id)", as: .admin, json: ["commitment": ["amount": -4, "unit": "hours"]])
            #expect(negative.status == 422, "\(negative.text)")
            #expect(negative.invalidFields == ["commitment.amount"])
            let removed = try await api.call(
                .patch, "/v1/categories/\(id)", as: .admin,
                json: ["commitment": NSNull(), "resident_fileable": false], headers: [.ifMatch: "\"1\""])
            #expect(removed.status == 200, "\(removed.text)")
            #expect(removed.json["commitment"] == nil)
            #expect(removed.json["resident_fileable"] as? Bool == false)
            let fileable = try await api.call(.get, "/v1/categories?resident_fileable=false", as: .resident)
            #expect((fileable.json["data"] as? [[String: Any]])?.map { $0["code"] as? String } == ["mobilier_urbain"])
            #expect(try await api.call(.delete, "/v1/categories/\(id)", as: .admin).status == 204)
            #expect(try await api.call(.get, "/v1/categories/\(id)", as: .admin).status == 404)
        }
    }

    @Test("users: a coordinator creates a technician who logs in; an admin cannot delete themselves", arguments: TestDatabases.engines)
    func users(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let created = try await api.call(
                .post, "/v1/users", as: .coordinator,
                json: [
                    "email": "Gardien@VRH.example", "display_name": "Gardien", "password": "mot de passe long",
                    "role": "technician", "partner_id": api.fixture.partnerA.id,
                ])
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["partner_id"] as? String == api.fixture.partnerA.id)
            let login = try await api.call(.post, "/v1/auth/token", json: ["email": "gardien@vrh.example", "password": "mot de passe long"])
            #expect(login.status == 201)
            let promote = try await api.call(.patch, "/v1/users/\(created.json["id"] as! String)", as: .coordinator, json: ["role": "admin"])
            #expect(promote.status == 403)
            let me = api.fixture.users[.admin]!.id
            #expect(try await api.call(.delete, "/v1/users/\(me)", as: .admin).status == 409)
            let nullRole = try await api.call(.patch, "/v1/users/\(me)", as: .admin, json: ["role": NSNull()])
            #expect(nullRole.status == 422, "\(nullRole.text)")
            #expect(nullRole.invalidFields == ["role"])
        }
    }

    @Test("updated_since lists only what changed since then", arguments: TestDatabases.engines)
    func updatedSince(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            try await Task.sleep(for: .milliseconds(5))
            let since = Date()
            try await Task.sleep(for: .milliseconds(5))
            _ = try await api.call(.patch, "/v1/partners/\(api.fixture.partnerB.id)", as: .admin, json: ["contact_phone": "02 99 00 00 00"])
            let stamp = ISO8601DateFormatter()
            stamp.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let query = stamp.string(from: since).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let changed = try await api.call(.get, "/v1/partners?updated_since=\(query)", as: .admin)
            #expect(changed.status == 200)
            #expect((changed.json["data"] as? [[String: Any]])?.map { $0["id"] as? String } == [api.fixture.partnerB.id])
            let yesterday = try await api.call(.get, "/v1/partners?updated_since=yesterday", as: .admin)
            #expect(yesterday.status == 422)
            #expect(yesterday.invalidFields == ["updated_since"])
        }
    }
}
