import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import HTTPTypes
import Testing

@testable import GUSPServer

@Suite("Conditional reads, Cache-Control and Location")
struct ConditionalReadTests {
    @Test("a resource's ETag revalidates to 304 until it changes", arguments: TestDatabases.engines)
    func resource(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let path = "/v1/partners/\(api.fixture.partnerA.id)"
            let first = try await api.call(.get, path, as: .admin)
            let tag = try #require(first.headers[.eTag])
            #expect(tag == "\"\(first.json["version"] as! Int)\"")
            #expect(first.headers[.cacheControl] == "private, no-cache")
            for condition in [tag, "W/\(tag)", "\"other\", \(tag)", "*"] {
                let again = try await api.call(.get, path, as: .admin, headers: [.ifNoneMatch: condition])
                #expect(again.status == 304, "\(condition)")
                #expect(again.body.isEmpty)
                #expect(again.headers[.eTag] == tag)
                #expect(again.headers[.cacheControl] == "private, no-cache")
            }
            let head = try await api.call(.head, path, as: .admin, headers: [.ifNoneMatch: tag])
            #expect(head.status == 304)
            let changed = try await api.call(
                .patch, path, as: .admin, json: ["name": "VRH"], headers: [.ifMatch: tag, .contentType: "application/merge-patch+json"])
            #expect(changed.status == 200, "\(changed.text)")
            let after = try await api.call(.get, path, as: .admin, headers: [.ifNoneMatch: tag])
            #expect(after.status == 200)
            #expect(after.headers[.eTag] != tag)
        }
    }

    @Test("a list has a weak ETag of its content and revalidates", arguments: TestDatabases.engines)
    func list(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let first = try await api.call(.get, "/v1/partners", as: .admin)
            let tag = try #require(first.headers[.eTag])
            #expect(tag.hasPrefix("W/\""))
            let second = try await api.call(.get, "/v1/partners", as: .admin, headers: [.ifNoneMatch: tag])
            #expect(second.status == 304, "\(first.text)\n\(second.text)")
            let other = try await api.call(.get, "/v1/partners", as: .coordinator)
            #expect(other.headers[.eTag] != tag || other.body == first.body, "another reader's list has its own tag")
            let created = try await api.call(
                .post, "/v1/partners", as: .admin, json: ["kind": "association", "name": "Régie de quartier", "territory_ids": [api.fixture.qpvA.id]])
            #expect(created.status == 201)
            let after = try await api.call(.get, "/v1/partners", as: .admin, headers: [.ifNoneMatch: tag])
            #expect(after.status == 200)
            #expect(after.headers[.eTag] != tag)
            let csv = try await api.call(.get, "/v1/indicators/signalements_received", as: .admin, headers: [.accept: "text/csv"])
            if csv.status == 200 { #expect(csv.headers[.eTag]?.hasPrefix("W/") == true) }
        }
    }

    @Test("personal data and secrets are never stored; public reads may be", arguments: TestDatabases.engines)
    func cacheControl(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let places = try await api.fixture.drawContours()
            let id = try await SignalementHTTPTests.fileWithContact(api, places)
            for path in ["/v1/me", "/v1/users", "/v1/signalements/\(id)", "/v1/contact-reads", "/health", "/ready"] {
                let read = try await api.call(.get, path, as: .admin)
                #expect(read.status == 200, "\(path)")
                #expect(read.headers[.cacheControl] == "no-store", "\(path)")
            }
            let list = try await api.call(.get, "/v1/signalements", as: .admin)
            #expect(list.headers[.cacheControl] == "private, no-cache")
            let services = try await api.call(.get, "/open311/v2/services.json")
            #expect(services.status == 200)
            #expect(services.headers[.cacheControl] == "public, max-age=60")
            let login = try await api.call(
                .post, "/v1/auth/token", json: ["email": api.fixture.users[.admin]!.email, "password": api.fixture.password])
            #expect(login.headers[.cacheControl] == "no-store")
        }
    }

    @Test("every 201 names where the created thing is read", arguments: TestDatabases.engines)
    func location(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let partner = try await api.call(
                .post, "/v1/partners", as: .admin, json: ["kind": "association", "name": "Centre social", "territory_ids": [api.fixture.qpvA.id]],
                headers: [.idempotencyKey: "centre-1"])
            let id = partner.json["id"] as! String
            #expect(partner.headers[.location] == "/v1/partners/\(id)")
            #expect(try await api.call(.get, partner.headers[.location]!, as: .admin).status == 200)
            let replay = try await api.call(
                .post, "/v1/partners", as: .admin, json: ["kind": "association", "name": "Centre social", "territory_ids": [api.fixture.qpvA.id]],
                headers: [.idempotencyKey: "centre-1"])
            #expect(replay.headers[.location] == "/v1/partners/\(id)")
            let places = try await api.fixture.drawContours()
            let signalement = try await SignalementHTTPTests.fileWithContact(api, places)
            let comment = try await api.call(.post, "/v1/signalements/\(signalement)/comments", as: .coordinator, json: ["body": "Vu"])
            #expect(comment.status == 201)
            #expect(comment.headers[.location] == "/v1/signalements/\(signalement)/comments")
            let filed = try await api.call(
                .post, "/v1/signalements", as: .resident,
                json: [
                    "category_id": try await api.fixture.category("proprete"), "description": "Dépôt",
                    "location": ["lat": places.inQPV.lat, "long": places.inQPV.long],
                ])
            #expect(filed.status == 201, "\(filed.text)")
            #expect(filed.headers[.location] == "/v1/signalements/\(filed.json["id"] as! String)")
        }
    }

    @Test("Location is found from the id, the list, or the enclosing resource")
    func resolution() {
        let readable: Set<String> = ["/v1/partners/par_1", "/v1/interventions/itv_9", "/v1/signalements/sig_1/comments", "/v1/conventions/cnv_1"]
        #expect(CreatedLocation.resolve(path: "/v1/partners", id: "par_1", readable: readable.contains) == "/v1/partners/par_1")
        #expect(
            CreatedLocation.resolve(path: "/v1/partners/par_1/interventions/EXT-7", id: "itv_9", readable: readable.contains)
                == "/v1/interventions/itv_9")
        #expect(
            CreatedLocation.resolve(path: "/v1/signalements/sig_1/comments", id: "com_1", readable: readable.contains)
                == "/v1/signalements/sig_1/comments")
        #expect(CreatedLocation.resolve(path: "/v1/conventions/cnv_1/signatures", id: nil, readable: readable.contains) == "/v1/conventions/cnv_1")
        #expect(CreatedLocation.resolve(path: "/v1/auth/token", id: "tok_1", readable: readable.contains) == nil)
        #expect(CreatedLocation.resolve(path: "/v1/partners", id: "../../x", readable: { _ in true }) == "/v1/partners")
    }
}
