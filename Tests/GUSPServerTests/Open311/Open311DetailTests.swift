import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import HTTPTypes
import Testing

@Suite("Open311 details integrators hit")
struct Open311DetailTests {
    static func multipart(_ fields: [(String, String)], file: (name: String, type: String, bytes: [UInt8])?, boundary: String) -> Data {
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        if let file {
            body.append(
                Data(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"photo.jpg\"\r\nContent-Type: \(file.type)\r\n\r\n"
                        .utf8))
            body.append(Data(file.bytes))
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return body
    }

    static func fields(_ api: API, _ places: Contours) -> [(String, String)] {
        [
            ("api_key", api.fixture.tokens[.partnerSystem]!), ("service_code", "parties_communes"), ("lat", "\(places.inQPV.lat)"),
            ("long", "\(places.inQPV.long)"), ("description", "Éclairage du hall en panne"),
        ]
    }

    static func ids(_ reply: Reply) -> [String] {
        ((try? JSONSerialization.jsonObject(with: reply.body)) as? [[String: Any]])?.compactMap { $0["service_request_id"] as? String } ?? []
    }

    @Test("a multipart filing (the three client's, with a photo) files, and its photo is kept without metadata", arguments: TestDatabases.engines)
    func multipartFiling(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let places = try await api.fixture.drawContours()
            let jpeg = try TestData.bytes("photo-with-exif.jpg")
            let body = Self.multipart(Self.fields(api, places), file: ("media", "image/jpeg", jpeg), boundary: "----three-7MA4YWxk")
            let reply = try await api.call(
                .post, "/open311/v2/requests.json", raw: body, headers: [.contentType: "multipart/form-data; boundary=----three-7MA4YWxk"])
            #expect(reply.status == 200, "\(reply.text)")
            let id = try #require(Self.ids(reply).first)
            let read = try await api.call(.get, "/v1/signalements/\(id)", as: .admin)
            #expect(read.json["description"] as? String == "Éclairage du hall en panne")
            let photos = read.json["photos"] as? [[String: Any]] ?? []
            #expect(photos.count == 1)
            let plain = Self.multipart(Self.fields(api, places), file: nil, boundary: "b0undary")
            let noPhoto = try await api.call(
                .post, "/open311/v2/requests.json", raw: plain, headers: [.contentType: "multipart/form-data; boundary=b0undary"])
            #expect(noPhoto.status == 200, "\(noPhoto.text)")
            let pdf = Self.multipart(Self.fields(api, places), file: ("media", "application/pdf", Array("%PDF-1.4".utf8)), boundary: "b0undary")
            let refused = try await api.call(
                .post, "/open311/v2/requests.json", raw: pdf, headers: [.contentType: "multipart/form-data; boundary=b0undary"])
            #expect(refused.status == 400)
            #expect(refused.text.contains("JPEG ou PNG"))
            let broken = try await api.call(
                .post, "/open311/v2/requests.json", raw: Data("--x\r\nnonsense".utf8), headers: [.contentType: "multipart/form-data; boundary=x"])
            #expect(broken.status == 400)
        }
    }

    @Test("Idempotency-Key: a retried Open311 filing files once", arguments: TestDatabases.engines)
    func idempotentFiling(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let places = try await api.fixture.drawContours()
            var first: [String] = []
            for _ in 0..<2 {
                let reply = try await api.call(
                    .post, "/open311/v2/requests.json", raw: Open311Tests.form(Self.fields(api, places)),
                    headers: [.contentType: "application/x-www-form-urlencoded", .idempotencyKey: "three-retry-1"])
                #expect(reply.status == 200, "\(reply.text)")
                if first.isEmpty { first = Self.ids(reply) } else { #expect(Self.ids(reply) == first) }
            }
            let listed = try await api.call(.get, "/v1/signalements?limit=100", as: .admin)
            #expect((listed.json["data"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test("dates without seconds; errors in Open311's format and in French, English on request", arguments: TestDatabases.engines)
    func datesAndErrors(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            #expect(try await api.call(.get, "/open311/v2/requests.json?start_date=2026-09-01T08:30Z").status == 200)
            #expect(try await api.call(.get, "/open311/v2/requests.json?start_date=2026-09-01T08:30%2B02:00").status == 200)
            let french = try await api.call(.get, "/open311/v2/requests.json?status=maybe")
            #expect(french.status == 400)
            let errors = try JSONSerialization.jsonObject(with: french.body) as? [[String: Any]]
            #expect(errors?.first?["code"] as? Int == 400)
            #expect((errors?.first?["description"] as? String)?.contains("status vaut open ou closed") == true)
            let english = try await api.call(.get, "/open311/v2/requests.json?status=maybe", headers: [.acceptLanguage: "en-GB,fr;q=0.5"])
            #expect(english.text.contains("status must be open or closed"))
            let wrongMethod = try await api.call(.delete, "/open311/v2/requests.json")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.headers[.contentType] == "application/json; charset=utf-8")
            #expect(wrongMethod.headers[.allow] != nil)
            #expect(wrongMethod.text.contains("méthode non permise"))
            let unknown = try await api.call(.get, "/open311/v2/nothing/here.xml")
            #expect(unknown.status == 404)
            #expect(unknown.headers[.contentType] == "text/xml; charset=utf-8")
            #expect(unknown.text.contains("<errors>"))
            let huge = try await api.call(
                .post, "/open311/v2/requests.json", raw: Data(repeating: 0x61, count: 11_000_000),
                headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(huge.status == 413)
            #expect(huge.text.contains("trop volumineuse"))
        }
    }

    @Test("the discovery changeset follows the last change of the services", arguments: TestDatabases.engines)
    func changeset(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            func changeset() async throws -> String? {
                let reply = try await api.call(.get, "/open311/v2/discovery.json")
                return (try JSONSerialization.jsonObject(with: reply.body) as? [String: Any])?["changeset"] as? String
            }
            let before = try await changeset()
            try await Task.sleep(for: .milliseconds(1_100))
            let created = try await api.call(.post, "/v1/categories", as: .admin, json: ["code": "tags_facades", "label": "Tags sur les façades"])
            #expect(created.status == 201, "\(created.text)")
            let after = try #require(try await changeset())
            #expect(after != before)
            let changed = try #require(ISO8601DateFormatter().date(from: after))
            #expect(abs(changed.timeIntervalSinceNow) < 5)
        }
    }
}
