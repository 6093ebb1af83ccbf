import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport

extension PermissionMatrixTests {
    static let meetingExpectations: [(String, [Int])] = [
        ("meeting.read", [200, 200, 200, 404, 200, 404, 200, 404, 200, 200, 200, 404]),
        ("meeting.list", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("meeting.create", [201, 201, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
        ("meeting.update", [200, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403]),
        ("meeting.agenda_generate", [200, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403]),
        ("meeting.items", [200, 200, 200, 404, 200, 404, 200, 404, 404, 404, 200, 404]),
        ("meeting.decide", [201, 201, 201, 404, 403, 403, 403, 403, 403, 403, 403, 403]),
        ("meeting.minutes_write", [200, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403]),
        ("meeting.minutes_read", [200, 200, 200, 404, 200, 404, 200, 404, 200, 200, 200, 404]),
        ("meeting.events", [200, 200, 200, 404, 200, 404, 200, 404, 403, 403, 200, 404]),
    ]

    /// Own: a cellule de veille over QPV A chaired by bailleur A; foreign: one over commune B chaired by
    /// bailleur B. Reads of the meeting and of its minutes are of meetings whose minutes are approved and
    /// public (residents read them anywhere); the agenda, decisions and minutes are written on a held
    /// meeting with one manual item; the rest on a planned one.
    static func meetingRequest(_ operation: String, side: Side, api: API) async throws -> Request {
        let f = api.fixture
        let store = f.store
        let territory = side == .own ? f.qpvA.id : f.communeB.id
        let partner = side == .own ? f.partnerA.id : f.partnerB.id
        let starts = Date().addingTimeInterval(7 * 86_400)
        var meeting = try await store.createMeeting(
            NewMeeting(kind: .celluleDeVeille, title: "Cellule de veille", territoryIds: [territory], startsAt: starts, chairPartnerId: partner),
            by: Fixture.root)
        var itemId = ""
        if ["meeting.items", "meeting.decide"].contains(operation) {
            itemId = try await store.addAgendaItem(meeting.id, NewAgendaItem(title: "Dépôts sauvages rue des Alpes"), by: Fixture.root).id
        }
        if ["meeting.read", "meeting.items", "meeting.decide", "meeting.minutes_write", "meeting.minutes_read"].contains(operation) {
            meeting = try await store.transitionMeeting(meeting.id, to: .held, note: nil, ifVersion: nil, by: Fixture.root)
        }
        if ["meeting.read", "meeting.minutes_read"].contains(operation) {
            meeting = try await store.setMeetingMinutes(
                meeting.id, text: "La cellule a fait le point.", visibility: .public, ifVersion: nil, by: Fixture.root)
            meeting = try await store.transitionMeeting(meeting.id, to: .minutesApproved, note: nil, ifVersion: nil, by: Fixture.root)
        }
        let path = "/v1/meetings/\(meeting.id)"
        switch operation {
        case "meeting.read": return Request(method: .get, path: path)
        case "meeting.list": return Request(method: .get, path: "/v1/meetings?partner=\(partner)")
        case "meeting.create":
            return Request(
                method: .post, path: "/v1/meetings",
                body: [
                    "kind": "comite_technique", "title": "Comité technique", "territory_ids": [territory], "chair_partner_id": partner,
                    "starts_at": ISO8601DateFormatter().string(from: starts),
                ])
        case "meeting.update": return Request(method: .patch, path: path, body: ["title": "Cellule de veille de novembre"])
        case "meeting.agenda_generate": return Request(method: .post, path: path + "/agenda:generate", body: [:])
        case "meeting.items": return Request(method: .get, path: path + "/items")
        case "meeting.decide":
            return Request(
                method: .post, path: path + "/items/\(itemId)/decisions", body: ["kind": "no_action", "note": "Déjà traité par le bailleur"])
        case "meeting.minutes_write":
            return Request(method: .put, path: path + "/minutes", body: ["text": "Compte-rendu de la cellule.", "visibility": "public"])
        case "meeting.minutes_read": return Request(method: .get, path: path + "/minutes")
        case "meeting.events": return Request(method: .get, path: path + "/events")
        default: throw ConfigurationError("the matrix names an operation without a request: \(operation)")
        }
    }
}
