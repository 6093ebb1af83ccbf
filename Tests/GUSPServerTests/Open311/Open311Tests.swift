import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import HTTPTypes
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// GeoReport v2 as unmodified Open311 clients use it: form posts, `.xml` and `.json`, the
/// specification's element names, and its error bodies.
@Suite("Open311 GeoReport v2")
struct Open311Tests {
    static func form(_ fields: [(String, String)]) -> Data {
        Data(
            fields.map { name, value in
                "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)"
            }.joined(separator: "&").utf8)
    }

    /// Descriptions in English (`Accept-Language`), the words these tests compare.
    static func post(_ api: API, _ format: String, _ fields: [(String, String)]) async throws -> Reply {
        try await api.call(
            .post, "/open311/v2/requests.\(format)", raw: form(fields),
            headers: [.contentType: "application/x-www-form-urlencoded; charset=utf-8", .acceptLanguage: "en"])
    }

    static func xml(_ reply: Reply) throws -> XMLDocument {
        try XMLDocument(data: reply.body)
    }

    static func texts(_ document: XMLDocument, _ path: String) throws -> [String] {
        try document.nodes(forXPath: path).map { $0.stringValue ?? "" }
    }

    @Test("discovery, services and a service definition, in XML and JSON", arguments: TestDatabases.engines)
    func catalogue(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let discovery = try await api.call(.get, "/open311/v2/discovery.xml")
            #expect(discovery.status == 200)
            #expect(discovery.headers[.contentType] == "text/xml; charset=utf-8")
            let document = try Self.xml(discovery)
            #expect(try Self.texts(document, "/discovery/endpoints/endpoint/specification") == ["http://wiki.open311.org/GeoReport_v2"])
            #expect(try Self.texts(document, "/discovery/endpoints/endpoint/formats/format") == ["text/xml", "application/json"])
            #expect(try Self.texts(document, "/discovery/endpoints/endpoint/url").first?.hasSuffix("/open311/v2") == true)
            let services = try await api.call(.get, "/open311/v2/services.json")
            #expect(services.headers[.contentType] == "application/json; charset=utf-8")
            let list = try JSONSerialization.jsonObject(with: services.body) as! [[String: Any]]
            let codes = list.compactMap { $0["service_code"] as? String }
            #expect(codes.contains("voirie"))
            #expect(codes.contains("tags_injurieux"))
            #expect(list.allSatisfy { $0["metadata"] as? Bool == false })
            #expect(list.allSatisfy { $0["type"] as? String == "realtime" })
            let tags = list.first { $0["service_code"] as? String == "tags_injurieux" }!
            #expect(tags["group"] as? String == "Tags")
            let servicesXML = try Self.xml(try await api.call(.get, "/open311/v2/services.xml"))
            #expect(try Self.texts(servicesXML, "/services/service/service_code").sorted() == codes.sorted())
            let definition = try await api.call(.get, "/open311/v2/services/voirie.json")
            let body = try JSONSerialization.jsonObject(with: definition.body) as! [String: Any]
            #expect(body["service_code"] as? String == "voirie")
            #expect((body["attributes"] as? [Any])?.isEmpty == true)
            let unknown = try await api.call(.get, "/open311/v2/services/nope.xml")
            #expect(unknown.status == 404)
            #expect(try Self.texts(try Self.xml(unknown), "/errors/error/code") == ["404"])
        }
    }

    @Test("POST requests with a partner API key files a signalement on channel open311", arguments: TestDatabases.engines)
    func create(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            let places = try await f.drawContours()
            let key = f.tokens[.partnerSystem]!
            let reply = try await Self.post(
                api, "xml",
                [
                    ("api_key", key), ("jurisdiction_id", ""), ("service_code", "voirie"), ("lat", "\(places.inQPV.lat)"),
                    ("long", "\(places.inQPV.long)"), ("description", "Nid de poule"), ("first_name", "Jean"), ("last_name", "Dupont"),
                    ("email", "jean.dupont@example.org"), ("phone", "0612345678"), ("media_url", "http://example.org/a.jpg"),
                ])
            #expect(reply.status == 200, "\(reply.text)")
            let document = try Self.xml(reply)
            let id = try Self.texts(document, "/service_requests/request/service_request_id").first!
            #expect(try Self.texts(document, "/service_requests/request/service_notice").first?.contains("media_url is not kept") == true)
            let signalement = try await f.store.signalement(id, by: Fixture.root)
            #expect(signalement.channel == .open311)
            #expect(signalement.partnerId == places.villeA.id)
            #expect(signalement.contact == ReporterContact(name: "Jean Dupont", email: "jean.dupont@example.org", phone: "0612345678"))
            // Read back in public: the spec's fields, no personal data.
            let one = try await api.call(.get, "/open311/v2/requests/\(id).json")
            #expect(one.status == 200)
            let requests = try JSONSerialization.jsonObject(with: one.body) as! [[String: Any]]
            #expect(requests.count == 1)
            let request = requests[0]
            #expect(request["status"] as? String == "open")
            #expect(request["service_code"] as? String == "voirie")
            #expect(request["agency_responsible"] as? String == "Ville de Valence")
            #expect(request["lat"] as? Double == places.inQPV.lat)
            #expect(request["expected_datetime"] as? String != nil)
            #expect(
                Set(request.keys) == [
                    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                    "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url",
                ])
            #expect(!one.text.contains("Dupont"))
            #expect(!one.text.contains("jean.dupont"))
            // An address alone is accepted too; the coordination places and assigns it.
            let addressOnly = try await Self.post(
                api, "json",
                [
                    ("api_key", key), ("service_code", "proprete"),
                    ("address_string", "12 rue des Alpes, Valence"),
                ])
            #expect(addressOnly.status == 200)
            let notice = (try JSONSerialization.jsonObject(with: addressOnly.body) as? [[String: Any]])?.first?["service_notice"] as? String
            #expect(notice?.contains("the GUSP coordination will assign it") == true)
            let token = try await api.call(.get, "/open311/v2/tokens/\(id).json")
            #expect((try JSONSerialization.jsonObject(with: token.body) as? [[String: String]])?.first?["service_request_id"] == id)
        }
    }

    @Test("bad POSTs get Open311 errors and write nothing", arguments: TestDatabases.engines)
    func refusals(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            let places = try await f.drawContours()
            let key = f.tokens[.partnerSystem]!
            let here = [("lat", "\(places.inQPV.lat)"), ("long", "\(places.inQPV.long)")]
            func error(_ fields: [(String, String)], format: String = "json") async throws -> (Int, [String]) {
                let reply = try await Self.post(api, format, fields)
                if format == "xml" { return (reply.status, try Self.texts(try Self.xml(reply), "/errors/error/description")) }
                let list = try JSONSerialization.jsonObject(with: reply.body) as! [[String: Any]]
                #expect(list.allSatisfy { $0["code"] as? Int == reply.status })
                return (reply.status, list.compactMap { $0["description"] as? String })
            }
            #expect(try await error([("api_key", key)] + here) == (400, ["service_code is required"]))
            #expect(
                try await error([("api_key", key), ("service_code", "voirie")], format: "xml")
                    == (400, ["a location is required: lat and long, address_string or address_id"]))
            #expect(try await error([("api_key", key), ("service_code", "nope")] + here) == (404, ["service_code nope not found"]))
            #expect(try await error([("service_code", "voirie")] + here).0 == 403)
            #expect(try await error([("api_key", "gusp_key_wrong"), ("service_code", "voirie")] + here).0 == 403)
            #expect(
                try await error([("api_key", f.tokens[.resident]!), ("service_code", "voirie")] + here)
                    == (403, ["api_key must be a partner API key"]))
            #expect(
                try await error([("api_key", key), ("service_code", "voirie"), ("lat", "45.5"), ("long", "5.5")])
                    == (400, ["lat: is outside every territory this deployment serves"]))
            #expect(try await error([("api_key", key), ("service_code", "voirie"), ("lat", "44.9")]) == (400, ["lat and long go together"]))
            let listed = try await api.call(.get, "/open311/v2/requests.json")
            #expect(listed.text == "[]")
            #expect(try await api.call(.get, "/open311/v2/requests/sig_nope.json").status == 404)
            #expect(try await api.call(.get, "/open311/v2/requests.html").status == 404)
        }
    }

    @Test("GET requests: filters, the 90-day window, status mapped to open/closed", arguments: TestDatabases.engines)
    func listing(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestApp.run(engine, clock: clock) { api in
            let f = api.fixture
            let store = f.store
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let technician = try await f.actor(.technician)
            func file(_ code: String) async throws -> String {
                let category = try await f.category(code)
                let filed = try await store.createSignalement(
                    NewSignalement(categoryId: category, description: code, location: places.inQPV),
                    by: resident)
                return filed.signalement.id
            }
            func ids(_ query: String) async throws -> [String] {
                let reply = try await api.call(.get, "/open311/v2/requests.json?\(query)")
                guard reply.status == 200 else { return ["status \(reply.status)"] }
                return (try JSONSerialization.jsonObject(with: reply.body) as! [[String: Any]]).compactMap { $0["service_request_id"] as? String }
            }
            let old = try await file("voirie")
            clock.advance(100 * 86_400)
            let lift = try await file("parties_communes")
            let road = try await file("voirie")
            _ = try await store.transitionSignalement(lift, to: .rejected, note: "pas un ascenseur", ifVersion: nil, by: technician)
            #expect(try await ids("") == [road, lift])
            #expect(try await ids("status=open") == [road])
            #expect(try await ids("status=closed") == [lift])
            // A closed request's updated_datetime is when it was closed (rejected, here).
            let closed = try await api.call(.get, "/open311/v2/requests/\(lift).json")
            let closedRequest = (try JSONSerialization.jsonObject(with: closed.body) as! [[String: Any]])[0]
            #expect(closedRequest["status"] as? String == "closed")
            #expect(closedRequest["updated_datetime"] as? String == ISO8601DateFormatter().string(from: clock.now()))
            #expect(try await ids("service_code=voirie") == [road])
            #expect(try await ids("service_code=voirie,parties_communes&status=open&status=closed") == [road, lift])
            #expect(try await ids("start_date=2026-09-01T00:00:00Z") == [old])
            #expect(try await ids("start_date=2026-09-01T02:00:00%2B02:00&end_date=2026-11-01T00:00:00Z") == [old])
            #expect(try await ids("service_request_id=\(old),\(lift)&status=open") == [lift, old])
            #expect(try await ids("start_date=2026-09-01") == [old])
            #expect(try await ids("start_date=yesterday") == ["status 400"])
            #expect(try await ids("start_date=2026-01-01T00:00:00Z&end_date=2026-12-01T00:00:00Z") == ["status 400"])
            #expect(try await ids("status=pending") == ["status 400"])
        }
    }
}
