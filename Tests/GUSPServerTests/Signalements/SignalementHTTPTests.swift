import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import HTTPTypes
import Testing

@Suite("Signalements over HTTP")
struct SignalementHTTPTests {
    static let contact: [String: String] = ["name": "Awa Diallo", "email": "awa.diallo@example.org", "phone": "06 12 34 56 78"]

    /// Files a lift breakdown in QPV A as the fixture's resident, with a contact and a public comment.
    static func fileWithContact(_ api: API, _ places: Contours) async throws -> String {
        let category = try await api.fixture.category("parties_communes")
        let reply = try await api.call(
            .post, "/v1/signalements", as: .resident,
            json: [
                "category_id": category, "description": "Ascenseur bloqué", "contact": contact,
                "location": ["lat": places.inQPV.lat, "long": places.inQPV.long],
            ])
        #expect(reply.status == 201, "\(reply.text)")
        let id = reply.json["id"] as! String
        _ = try await api.call(.post, "/v1/signalements/\(id)/comments", as: .resident, json: ["body": "Merci"])
        return id
    }

    enum Reader: String, CaseIterable, Sendable {
        case admin, coordinator, elected, technician, partnerSystem, reporter, otherResident
        var seesPersonalData: Bool { ![.elected, .otherResident].contains(self) }
    }

    @Test("personal data, field by field, per reader", arguments: TestDatabases.engines.flatMap { engine in Reader.allCases.map { (engine, $0) } })
    func personalData(engine: Engine, reader: Reader) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            let places = try await f.drawContours()
            let id = try await Self.fileWithContact(api, places)
            let token: String
            switch reader {
            case .admin: token = f.tokens[.admin]!
            case .coordinator: token = f.tokens[.coordinator]!
            case .elected: token = f.tokens[.elected]!
            case .technician: token = f.tokens[.technician]!
            case .partnerSystem: token = f.tokens[.partnerSystem]!
            case .reporter: token = f.tokens[.resident]!
            case .otherResident:
                let user = try await f.store.registerResident(email: "voisin@habitants.test", password: "long enough pw", displayName: nil)
                token = try await f.store.issuePersonalToken(userId: user.id, name: "t", lifetime: 600, createdBy: nil).secret
            }
            let one = try await api.call(.get, "/v1/signalements/\(id)", token: token)
            let list = try await api.call(.get, "/v1/signalements", token: token)
            let events = try await api.call(.get, "/v1/signalements/\(id)/events", token: token)
            let comments = try await api.call(.get, "/v1/signalements/\(id)/comments", token: token)
            #expect(one.status == 200, "\(one.text)")
            #expect(list.status == 200, "\(list.text)")
            #expect(events.status == 200, "\(events.text)")
            #expect(comments.status == 200, "\(comments.text)")
            let listed = (list.json["data"] as! [[String: Any]]).first { $0["id"] as? String == id }!
            let reporterId = f.users[.resident]!.id
            for (body, isOne) in [(one.json, true), (listed, false)] {
                if reader.seesPersonalData {
                    #expect(body["reporter_id"] as? String == reporterId)
                    // The contact only in the signalement itself (its reads by staff are logged), never in lists.
                    let contact = (body["contact"] as? [String: Any])?.compactMapValues { $0 as? String }
                    #expect(contact == (isOne ? Self.contact : nil))
                } else {
                    #expect(body["reporter_id"] == nil)
                    #expect(body["contact"] == nil)
                }
                #expect(body["mine"] as? Bool == (reader == .reporter))
            }
            let eventActors = (events.json["data"] as! [[String: Any]]).compactMap { $0["actor_id"] as? String }
            let commentAuthors = (comments.json["data"] as! [[String: Any]]).compactMap { $0["author_id"] as? String }
            #expect(eventActors.contains(reporterId) == reader.seesPersonalData)
            #expect(commentAuthors.contains(reporterId) == reader.seesPersonalData)
            // Nowhere in any answer, under any name.
            if !reader.seesPersonalData {
                for reply in [one, list, events, comments] {
                    for secret in ["Awa", "awa.diallo", "06 12 34 56 78", reporterId] {
                        #expect(!reply.text.contains(secret), "\(secret) leaks to \(reader)")
                    }
                }
            }
        }
    }

    @Test(
        "filing answers 201 with the due date, the next moves and possible duplicates; Idempotency-Key replays it",
        arguments: TestDatabases.engines)
    func filing(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let places = try await api.fixture.drawContours()
            let first = try await Self.fileWithContact(api, places)
            let body: [String: Any] = [
                "category_id": try await api.fixture.category("parties_communes"), "description": "Toujours bloqué",
                "location": ["lat": places.inQPV.lat, "long": places.inQPV.long],
            ]
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "intake-1"]
            let reply = try await api.call(.post, "/v1/signalements", as: .technician, json: body, headers: key)
            #expect(reply.status == 201)
            #expect(reply.headers[.eTag] == "\"1\"")
            #expect(reply.json["status"] as? String == "submitted")
            #expect(reply.json["channel"] as? String == "agent")
            #expect(reply.json["partner_id"] as? String == api.fixture.partnerA.id)
            #expect(reply.json["due_at"] is String)
            #expect(reply.json["overdue"] as? Bool == false)
            #expect(reply.json["allowed_transitions"] as? [String] == ["acknowledged", "rejected", "needs_arbitration", "duplicate"])
            let duplicates = reply.json["possible_duplicates"] as! [[String: Any]]
            #expect(duplicates.map { $0["id"] as? String } == [first])
            let replay = try await api.call(.post, "/v1/signalements", as: .technician, json: body, headers: key)
            #expect(replay.status == 201)
            #expect(replay.json["id"] as? String == reply.json["id"] as? String)
            // The first answer itself, kept by the filing's own transaction.
            #expect(replay.body == reply.body)
            #expect(replay.headers[.eTag] == "\"1\"")
            #expect(replay.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            var other = body
            other["description"] = "autre chose"
            #expect(try await api.call(.post, "/v1/signalements", as: .technician, json: other, headers: key).status == 409)
            let listed = try await api.call(.get, "/v1/signalements", as: .admin)
            #expect((listed.json["data"] as! [Any]).count == 2)
        }
    }

    @Test("bad input: the documented errors, and nothing written", arguments: TestDatabases.engines)
    func badInput(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let places = try await api.fixture.drawContours()
            let category = try await api.fixture.category("voirie")
            func file(_ body: [String: Any]) async throws -> Reply {
                try await api.call(.post, "/v1/signalements", as: .resident, json: body)
            }
            let unknown = try await file([
                "category_id": "cat_nope", "description": "x", "location": ["lat": places.inQPV.lat, "long": places.inQPV.long],
            ])
            #expect(unknown.status == 422)
            #expect(unknown.invalidFields == ["category_id"])
            let nowhere = try await file([
                "category_id": category, "description": "x", "location": ["lat": places.nowhere.lat, "long": places.nowhere.long],
            ])
            #expect(nowhere.status == 422)
            #expect(nowhere.invalidFields == ["location"])
            #expect((nowhere.json["errors"] as? [[String: String]])?.first?["message"] == "is outside every territory this deployment serves")
            let missing = try await file(["description": "x"])
            #expect(missing.status == 422)
            let text = try await api.call(
                .post, "/v1/signalements", as: .resident, raw: Data("description=x".utf8),
                headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(text.status == 415)
            let huge = try await file(["category_id": category, "description": String(repeating: "a", count: 1_100_000)])
            #expect(huge.status == 413)
            let badStatus = try await api.call(.get, "/v1/signalements?status=ouvert", as: .admin)
            #expect(badStatus.status == 422)
            #expect(try await api.call(.get, "/v1/signalements?bbox=1,2,3", as: .admin).status == 422)
            let listed = try await api.call(.get, "/v1/signalements", as: .admin)
            #expect((listed.json["data"] as! [Any]).isEmpty)
        }
    }

    @Test("an illegal move is a 409 problem naming the allowed moves; If-Match guards moves", arguments: TestDatabases.engines)
    func moves(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let places = try await api.fixture.drawContours()
            let id = try await Self.fileWithContact(api, places)
            let illegal = try await api.call(.post, "/v1/signalements/\(id)/transitions", as: .technician, json: ["to": "resolved"])
            #expect(illegal.status == 409)
            #expect(illegal.headers[.contentType] == "application/problem+json")
            #expect(
                illegal.json["detail"] as? String
                    == "a submitted signalement cannot become resolved; allowed: acknowledged, assigned, rejected, needs_arbitration, duplicate")
            let notTheirs = try await api.call(.post, "/v1/signalements/\(id)/transitions", as: .technician, json: ["to": "closed"])
            #expect(notTheirs.status == 403)
            let stale = try await api.call(
                .post, "/v1/signalements/\(id)/transitions", as: .technician, json: ["to": "acknowledged"],
                headers: [.ifMatch: "\"9\""])
            #expect(stale.status == 412)
            let moved = try await api.call(
                .post, "/v1/signalements/\(id)/transitions", as: .technician, json: ["to": "acknowledged"],
                headers: [.ifMatch: "\"1\""])
            #expect(moved.status == 200)
            #expect(moved.headers[.eTag] == "\"2\"")
            #expect(moved.json["status"] as? String == "acknowledged")
            let events = try await api.call(.get, "/v1/signalements/\(id)/events", as: .coordinator)
            let last = (events.json["data"] as! [[String: Any]]).last!
            #expect(last["from_status"] as? String == "submitted")
            #expect(last["to_status"] as? String == "acknowledged")
            #expect(last["actor_role"] as? String == "technician")
            let confirmed = try await api.call(.post, "/v1/signalements/\(id)/confirmations", as: .resident)
            #expect(confirmed.status == 409)
        }
    }

    @Test(
        "photos: uploaded as image/jpeg, served back without metadata; wrong type, non-image, too big refused",
        arguments: TestDatabases.engines)
    func photos(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let places = try await api.fixture.drawContours()
            let id = try await Self.fileWithContact(api, places)
            let jpeg = try TestData.bytes("photo-with-exif.jpg")
            let added = try await api.call(
                .post, "/v1/signalements/\(id)/photos", as: .resident, raw: Data(jpeg),
                headers: [.contentType: "image/jpeg"])
            #expect(added.status == 201, "\(added.text)")
            #expect(added.json["width"] as? Int == 64)
            let url = added.json["url"] as! String
            let served = try await api.call(.get, url, as: .elected)
            #expect(served.status == 200)
            #expect(served.headers[.contentType] == "image/jpeg")
            #expect(Array(served.body) == (try PhotoSanitizer.clean(jpeg)).bytes)
            #expect(!served.text.contains("SecretCamMaker"))
            let shown = try await api.call(.get, "/v1/signalements/\(id)", as: .resident)
            #expect((shown.json["photos"] as? [[String: Any]])?.first?["url"] as? String == url)
            let wrongType = try await api.call(
                .post, "/v1/signalements/\(id)/photos", as: .resident, raw: Data(jpeg),
                headers: [.contentType: "image/gif"])
            #expect(wrongType.status == 415)
            let notImage = try await api.call(
                .post, "/v1/signalements/\(id)/photos", as: .resident, raw: Data("not a photo".utf8),
                headers: [.contentType: "image/png"])
            #expect(notImage.status == 422)
            #expect(notImage.invalidFields == ["photo"])
            let huge = try await api.call(
                .post, "/v1/signalements/\(id)/photos", as: .resident, raw: Data(count: 10_000_001),
                headers: [.contentType: "image/jpeg"])
            #expect(huge.status == 413)
            let still = try await api.call(.get, "/v1/signalements/\(id)", as: .resident)
            #expect((still.json["photos"] as? [Any])?.count == 1)
        }
    }
}
