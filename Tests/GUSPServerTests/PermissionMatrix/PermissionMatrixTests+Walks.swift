import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport

extension PermissionMatrixTests {
    static let walkExpectations: [(String, [Int])] = [
        ("walk.read", [200, 200, 200, 404, 200, 404, 200, 404, 200, 200, 200, 404]),
        ("walk.list", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("walk.create", [201, 201, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
        ("walk.update", [200, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403]),
        ("walk.observe", [201, 201, 201, 404, 403, 403, 201, 404, 403, 403, 403, 403]),
        ("walk.report", [200, 200, 200, 404, 200, 404, 200, 404, 200, 200, 200, 404]),
        ("walk.events", [200, 200, 200, 404, 200, 404, 200, 404, 403, 403, 200, 404]),
        ("walk.report_publish", [201, 201, 201, 404, 403, 403, 403, 403, 403, 403, 403, 403]),
        ("walk.photo_add", [201, 201, 201, 404, 403, 403, 201, 404, 403, 403, 403, 403]),
        ("walk.photo_publish", [200, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403]),
        ("walk.photo_read", [200, 200, 200, 404, 200, 404, 200, 404, 200, 200, 200, 404]),
    ]

    /// Own: a walk of QPV A organised by bailleur A; foreign: one of commune B organised by bailleur B.
    /// Reads are of walks whose report is published (residents see them anywhere), writes of planned ones.
    static func walkRequest(_ operation: String, side: Side, api: API) async throws -> Request {
        let f = api.fixture
        let territory = side == .own ? f.qpvA.id : f.communeB.id
        let partner = side == .own ? f.partnerA.id : f.partnerB.id
        let starts = Date().addingTimeInterval(7 * 86_400)
        var walk = try await f.store.createWalk(
            NewWalk(
                kind: .diagnostic, title: "Diagnostic en marchant", territoryId: territory, startsAt: starts,
                endsAt: starts.addingTimeInterval(3 * 3_600), organiserPartnerId: partner),
            by: Fixture.root)
        let point = side == .own ? ["lat": 44.93, "long": 4.91] : ["lat": 48.11, "long": -1.68]
        if ["walk.read", "walk.report", "walk.report_publish"].contains(operation) || operation.hasPrefix("walk.photo") {
            walk = try await f.store.transitionWalk(walk.id, to: .held, note: nil, ifVersion: nil, by: Fixture.root)
        }
        // An observation with a photo, for the photo rows.
        var observationId = ""
        var photoId = ""
        let jpeg = try TestData.bytes("photo-with-exif.jpg")
        if operation.hasPrefix("walk.photo") {
            observationId = try await f.store.addObservations(
                walk.id,
                [
                    NewObservation(
                        clientId: "p1", location: Position(long: point["long"]!, lat: point["lat"]!), polarity: .negative, theme: "lighting",
                        text: "Sombre")
                ],
                by: Fixture.root)[0].observation!.id
            if operation != "walk.photo_add" {
                photoId = try await f.store.addObservationPhoto(
                    walkId: walk.id, observationId: observationId, bytes: jpeg, declaredType: nil, by: Fixture.root
                ).id
            }
            if operation == "walk.photo_read" {
                _ = try await f.store.publishWalkPhoto(walkId: walk.id, photoId: photoId, published: true, by: Fixture.root)
            }
        }
        if ["walk.read", "walk.report", "walk.photo_read"].contains(operation) {
            walk = try await f.store.publishWalkReport(walk.id, summary: nil, ifVersion: nil, by: Fixture.root).walk
        }
        let path = "/v1/walks/\(walk.id)"
        switch operation {
        case "walk.read": return Request(method: .get, path: path)
        case "walk.list": return Request(method: .get, path: "/v1/walks?partner=\(partner)")
        case "walk.create":
            return Request(
                method: .post, path: "/v1/walks",
                body: [
                    "kind": "exploratory", "title": "Marche exploratoire de nuit", "territory_id": territory, "organiser_partner_id": partner,
                    "starts_at": ISO8601DateFormatter().string(from: starts),
                    "ends_at": ISO8601DateFormatter().string(from: starts.addingTimeInterval(7_200)), "time_of_day": "night",
                ])
        case "walk.update": return Request(method: .patch, path: path, body: ["title": "Diagnostic en marchant d'automne"])
        case "walk.observe":
            return Request(
                method: .post, path: path + "/observations",
                body: ["client_id": "m1", "location": point, "polarity": "negative", "theme": "lighting", "text": "Passage sombre"])
        case "walk.report": return Request(method: .get, path: path + "/report")
        case "walk.events": return Request(method: .get, path: path + "/events")
        case "walk.report_publish": return Request(method: .post, path: path + "/report:publish", body: ["summary": "Synthèse"])
        case "walk.photo_add": return Request(method: .post, path: path + "/observations/\(observationId)/photos", raw: Data(jpeg))
        case "walk.photo_publish": return Request(method: .patch, path: path + "/photos/\(photoId)", body: ["published": true])
        case "walk.photo_read": return Request(method: .get, path: path + "/photos/\(photoId)")
        default: throw ConfigurationError("the matrix names an operation without a request: \(operation)")
        }
    }
}
