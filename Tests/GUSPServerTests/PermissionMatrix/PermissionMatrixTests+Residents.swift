import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

extension PermissionMatrixTests {
    static let residentExpectations: [(String, [Int])] = [
        ("contact.erase", [204, 204, 204, 404, 403, 403, 403, 403, 403, 403, 403, 403]),
        ("contact_reads.list", [200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
        ("public.tracking", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ]

    /// Own: a lift in QPV A (bailleur A) reported with a contact; foreign: the same in commune B.
    static func residentRequest(_ operation: String, side: Side, api: API) async throws -> Request {
        let f = api.fixture
        let places = try await f.drawContours()
        let filed = try await f.store.createSignalement(
            NewSignalement(
                categoryId: try await f.category("parties_communes"), description: "Ascenseur",
                location: side == .own ? places.inQPV : places.inCommuneB, contact: ReporterContact(phone: "0612345678")),
            by: try await f.actor(.resident)
        ).signalement
        switch operation {
        case "contact.erase": return Request(method: .delete, path: "/v1/signalements/\(filed.reference)/contact")
        case "contact_reads.list": return Request(method: .get, path: "/v1/contact-reads?signalement_id=\(filed.id)")
        default: return Request(method: .get, path: "/v1/public/signalements/\(filed.reference)")
        }
    }
}
