import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport

extension PermissionMatrixTests {
    static let engagementExpectations: [(String, [Int])] = [
        ("engagement.read", [200, 200, 200, 404, 200, 404, 200, 404, 200, 404, 200, 404]),
        ("engagement.list", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("engagement.create", [201, 201, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
        ("engagement.update", [200, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403]),
        ("engagement.report", [200, 200, 200, 404, 403, 403, 200, 404, 403, 403, 200, 404]),
        ("engagement.add_update", [201, 201, 201, 404, 403, 403, 201, 404, 403, 403, 201, 404]),
        ("engagement.events", [200, 200, 200, 404, 200, 404, 200, 404, 403, 403, 200, 404]),
    ]

    /// Own: a public engagement of QPV A led by bailleur A; foreign: one of commune B led by bailleur B,
    /// not public.
    static func engagementRequest(_ operation: String, side: Side, api: API) async throws -> Request {
        let f = api.fixture
        let territory = side == .own ? f.qpvA.id : f.communeB.id
        let partner = side == .own ? f.partnerA.id : f.partnerB.id
        let today = LandParcel.day(of: Date())
        let due = LandParcel.day(of: Date().addingTimeInterval(30 * 86_400))
        let engagement = try await f.store.createEngagement(
            NewEngagement(
                title: "Éclairer le passage", territoryId: territory, leadPartnerId: partner, dueDate: due, isPublic: side == .own),
            by: Fixture.root)
        let path = "/v1/engagements/\(engagement.id)"
        switch operation {
        case "engagement.read": return Request(method: .get, path: path)
        case "engagement.list": return Request(method: .get, path: "/v1/engagements?partner=\(partner)")
        case "engagement.create":
            return Request(
                method: .post, path: "/v1/engagements",
                body: ["title": "Réunion inter-bailleurs", "territory_id": territory, "lead_partner_id": partner, "due_date": due])
        case "engagement.update": return Request(method: .patch, path: path, body: ["title": "Éclairer le passage du 12"])
        case "engagement.report": return Request(method: .patch, path: path, body: ["status": "in_progress"])
        case "engagement.add_update":
            return Request(method: .post, path: path + "/updates", body: ["date": today, "note": "Devis demandé"])
        case "engagement.events": return Request(method: .get, path: path + "/events")
        default: throw ConfigurationError("the matrix names an operation without a request: \(operation)")
        }
    }
}
