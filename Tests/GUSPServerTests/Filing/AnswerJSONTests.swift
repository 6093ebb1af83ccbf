import Foundation
import GUSPAPI
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

@testable import GUSPServer

/// The filing's answer is written by `AnswerJSON`; every other answer by the runtime's `JSONEncoder`
/// over the generated types. The two must agree on every member and value, escapes and numbers
/// included (the runtime, unsorted, writes members in no set order; `AnswerJSON` in the schema's).
@Suite("Answers written by hand")
struct AnswerJSONTests {
    /// The runtime's encoder as `buildRouter` configures it: compact, keys in the schema's order,
    /// times through `RFC3339Dates`.
    static func runtimeJSON(_ signalement: Components.Schemas.Signalement) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = []
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(try RFC3339Dates().encode(date))
        }
        return Array(try encoder.encode(signalement))
    }

    static func handJSON(_ signalement: Components.Schemas.Signalement) -> [UInt8] {
        var json = AnswerJSON()
        signalement.write(to: &json)
        return json.bytes
    }

    static let created = Date(timeIntervalSince1970: 1_790_064_000.75)

    static var minimal: Components.Schemas.Signalement {
        .init(
            id: "sig_01", reference: "VAL-26-00001", categoryId: "cat_01", status: .needsArbitration, priority: .normal, channel: .phone,
            description: "",
            overdue: false, confirmationsCount: 0, followersCount: 0, photos: [], mine: false, version: 1,
            createdAt: created, updatedAt: created)
    }

    static var full: Components.Schemas.Signalement {
        .init(
            id: "sig_01JD3Q7Z0C8W5R7M9X2B4N6P8T", reference: "VAL-26-12345", categoryId: "cat_02", status: .resolved, priority: .urgent,
            channel: .partnerApi,
            description: "Dépôt \"sauvage\" au pied de l'immeuble\\n – 3/4 sacs\n\ttag:\u{01}\u{1F} 🚮 / fin",
            location: .init(lat: 44.9130123456789, long: 4.9), address: "12 rue de l'Église, 26000 Valence",
            territoryId: "ter_1", partnerId: "par_1", dueAt: created.addingTimeInterval(86_400), overdue: true, duplicateOf: "sig_00",
            confirmationsCount: 12, followersCount: 3,
            photos: [
                .init(
                    id: "pho_1", mediaType: .imagePng, width: 4_032, height: 3_024, byteSize: 2_345_678,
                    url: "/v1/signalements/sig_1/photos/pho_1", createdAt: created)
            ],
            resolvedAt: created.addingTimeInterval(3_600), closedAt: created.addingTimeInterval(7_200), reporterId: "usr_1",
            contact: .init(name: "Awa \"A.\" Diallo", email: "awa@example.org", phone: nil, notify: true), mine: true,
            allowedTransitions: [.closed, .reopened],
            possibleDuplicates: [
                .init(id: "sig_a", status: .submitted, distanceMeters: 0, createdAt: created),
                .init(id: "sig_b", status: .inProgress, distanceMeters: 12.0, createdAt: created),
                .init(id: "sig_c", status: .reopened, distanceMeters: 0.1, createdAt: created),
                .init(id: "sig_d", status: .acknowledged, distanceMeters: 1e-7, createdAt: created),
                .init(id: "sig_e", status: .assigned, distanceMeters: 49.99999999999, createdAt: created),
            ],
            version: 7, createdAt: created, updatedAt: created.addingTimeInterval(1))
    }

    @Test("the full sample sets every member: a member added to the schema must be added to it, and to the writer")
    func fullSampleIsFull() {
        let absent = Mirror(reflecting: Self.full).children.filter { child in
            let value = Mirror(reflecting: child.value)
            return value.displayStyle == .optional && value.children.isEmpty
        }
        #expect(absent.map { $0.label ?? "?" } == [])
    }

    @Test("strings and numbers, byte for byte as the runtime's encoder writes them; a number without JSON form is refused")
    func sameScalars() throws {
        let strings = ["", "plain", "Dépôt \"sauvage\" \\ 3/4", "\u{0}\u{1}\u{8}\u{9}\u{A}\u{B}\u{C}\u{D}\u{1F}\u{7F}", "\u{2028}\u{2029} 🚮 é"]
        var written = AnswerJSON()
        written.array(strings) { json, string in json.string(string) }
        #expect(String(decoding: written.bytes, as: UTF8.self) == String(decoding: try JSONEncoder().encode(strings), as: UTF8.self))
        let numbers: [Double] = [0, -0.0, 1, -1, 12.0, 0.1, 1e-7, 123456789.125, 1e21, 44.913012345678, -4.9, 49.99999999999]
        var numbered = AnswerJSON()
        numbered.array(numbers) { json, number in json.number(number) }
        #expect(String(decoding: numbered.bytes, as: UTF8.self) == String(decoding: try JSONEncoder().encode(numbers), as: UTF8.self))
        #expect(!numbered.failed)
        var broken = AnswerJSON()
        broken.number(.nan)
        #expect(broken.failed)
        let integers = [0, 7, -1, 10, 4_032, 2_345_678, Int.max, Int.min]
        var counted = AnswerJSON()
        counted.array(integers) { json, integer in json.integer(integer) }
        #expect(String(decoding: counted.bytes, as: UTF8.self) == String(decoding: try JSONEncoder().encode(integers), as: UTF8.self))
        // Times written in place, as the runtime writes them through `RFC3339Dates`: padded, rounded down, any year.
        let times = [0, -1, 1_790_064_000.75, 951_782_400, 4_102_444_799, -62_135_596_800, -62_135_596_801, 253_402_300_800]
            .map(Date.init(timeIntervalSince1970:))
        var timed = AnswerJSON()
        timed.array(times) { json, time in json.date(time) }
        #expect(String(decoding: timed.bytes, as: UTF8.self) == "[" + times.map { "\"\(RFC3339Dates.utcString($0))\"" }.joined(separator: ",") + "]")
        #expect(String(decoding: timed.bytes, as: UTF8.self).hasPrefix(#"["1970-01-01T00:00:00Z","1969-12-31T23:59:59Z","2026-09-22T08:00:00Z""#))
    }

    @Test("every member, present or absent, as the runtime's encoder writes it")
    func sameBytes() throws {
        var noTransitions = Self.full
        noTransitions.allowedTransitions = []
        noTransitions.possibleDuplicates = []
        noTransitions.location = .init(lat: -0.5, long: 180)
        for signalement in [Self.minimal, Self.full, noTransitions] {
            #expect(try Self.sameJSON(Self.handJSON(signalement), Self.runtimeJSON(signalement)))
        }
        let text = String(decoding: Self.handJSON(Self.full), as: UTF8.self)
        #expect(text.hasPrefix(#"{"id":"sig_01JD3Q7Z0C8W5R7M9X2B4N6P8T","reference":"VAL-26-12345","category_id":"cat_02","status":"resolved""#))
        #expect(text.contains(#""description":"Dépôt \"sauvage\" au pied de l'immeuble\\n – 3\/4 sacs\n\ttag:\u0001\u001f 🚮 \/ fin""#))
        #expect(text.contains(#""distance_meters":0,"#))
        #expect(text.contains(#""distance_meters":12,"#))
        #expect(text.contains(#""distance_meters":1e-07,"#))
        #expect(text.hasSuffix(#""version":7,"created_at":"2026-09-22T08:00:00Z","updated_at":"2026-09-22T08:00:01Z"}"#))
    }

    /// The same JSON value: members, strings and numbers.
    static func sameJSON(_ one: [UInt8], _ other: [UInt8]) throws -> Bool {
        let first = try JSONSerialization.jsonObject(with: Data(one)) as? NSDictionary
        let second = try JSONSerialization.jsonObject(with: Data(other)) as? NSDictionary
        return first != nil && first == second
    }

    @Test("a filing's answer over HTTP is what the runtime's encoder writes for it", arguments: TestDatabases.engines)
    func filingAnswer(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let places = try await api.fixture.drawContours()
            let category = try await api.fixture.category("proprete")
            var bodies: [Reply] = []
            for index in 0..<3 {
                bodies.append(
                    try await api.call(
                        .post, "/v1/signalements", as: .resident,
                        json: [
                            "category_id": category, "description": "Encombrants / sacs n°\(index) \"rue\"",
                            "contact": SignalementHTTPTests.contact,
                            "location": ["lat": places.inQPV.lat + Double(index) * 0.00001, "long": places.inQPV.long],
                        ]))
            }
            for reply in bodies {
                #expect(reply.status == 201)
                #expect(reply.headers[.contentType] == "application/json; charset=utf-8")
                #expect(reply.headers[.eTag] == "\"1\"")
                // The same signalement read back through the generated route and the runtime's encoder.
                let id = try #require(reply.json["id"] as? String)
                let read = try await api.call(.get, "/v1/signalements/\(id)", as: .resident)
                var filed = reply.json
                #expect(filed.removeValue(forKey: "possible_duplicates") != nil)
                #expect(filed as NSDictionary == read.json as NSDictionary)
                #expect(filed["contact"] != nil)
                #expect(filed["location"] != nil)
                #expect(filed["due_at"] != nil)
            }
            // The third sees the first two as possible duplicates, nearest first.
            let duplicates = try #require(bodies[2].json["possible_duplicates"] as? [[String: Any]])
            #expect(duplicates.map { $0["id"] as? String } == [bodies[1].json["id"] as? String, bodies[0].json["id"] as? String])
            #expect(duplicates.allSatisfy { ($0["distance_meters"] as? Double ?? 0) > 0 })
            #expect(duplicates.allSatisfy { $0["status"] as? String == "submitted" })
            let metrics = try await api.call(.get, "/metrics", as: nil)
            #expect(metrics.text.contains("route=\"/v1/signalements\",status=\"201\""))
            let malformed = try await api.call(
                .post, "/v1/signalements", as: .resident, raw: Data("{\"category_id\":".utf8),
                headers: [.contentType: "application/json"])
            #expect(malformed.status == 400)
            #expect(malformed.headers[.contentType] == "application/problem+json")
        }
    }
}
