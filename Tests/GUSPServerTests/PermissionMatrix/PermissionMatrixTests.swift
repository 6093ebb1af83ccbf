import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import HTTPTypes
import Testing

/// Walks every cell of the permission table over HTTP: each role, each operation, on a resource of
/// its own side (A) and of the other side (B). The expectations are written out here by hand, from
/// the README's table, so that a change to `Permissions.table` that is not meant shows up.
@Suite("Permission matrix")
struct PermissionMatrixTests {
    /// Expected statuses, per role in `Role.allCases` order
    /// (admin, coordinator, elected, technician, resident, partner_system), own then foreign.
    static let expectations: [(String, [Int])] =
        [
            ("me", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
            ("partner.read", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
            ("partner.list", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
            ("partner.create", [201, 201, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
            ("partner.update", [200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
            ("partner.delete", [204, 204, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
            ("partner.events", [200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
            ("api_key.create", [201, 201, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
            ("api_key.list", [200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
            ("api_key.revoke", [204, 204, 204, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
            ("territory.read", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
            ("territory.list", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
            ("territory.create", [201, 201, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
            ("territory.update", [200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
            ("territory.delete", [204, 204, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
            ("category.read", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
            ("category.list", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
            ("category.create", [201, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
            ("category.update", [200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
            ("category.delete", [204, 204, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
            ("user.read", [200, 200, 200, 404, 404, 404, 200, 404, 404, 404, 403, 403]),
            ("user.read_self", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 403]),
            ("user.list", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 403]),
            ("user.create", [201, 201, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
            ("user.update", [200, 200, 200, 404, 404, 404, 403, 404, 404, 404, 403, 403]),
            ("user.update_access", [200, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403]),
            ("user.update_self", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 403]),
            ("user.delete", [204, 204, 204, 404, 403, 403, 403, 403, 403, 403, 403, 403]),
            ("signalement.read", [200, 200, 200, 404, 200, 404, 200, 404, 200, 200, 200, 404]),
            ("signalement.list", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
            ("signalement.create", [201, 201, 201, 403, 403, 403, 201, 201, 201, 201, 201, 201]),
            ("signalement.update", [200, 200, 200, 404, 403, 403, 200, 404, 403, 403, 200, 404]),
            ("signalement.comment", [201, 201, 201, 404, 201, 404, 201, 404, 201, 403, 201, 404]),
            ("signalement.comment_internal", [201, 201, 201, 404, 403, 404, 201, 404, 403, 403, 201, 404]),
            ("signalement.confirm", [403, 403, 403, 403, 403, 403, 403, 403, 409, 201, 403, 403]),
            ("signalement.transition", [200, 200, 200, 404, 403, 404, 200, 404, 403, 403, 200, 404]),
            ("signalement.assign", [200, 200, 200, 404, 403, 404, 403, 404, 403, 403, 403, 404]),
            ("signalement.events", [200, 200, 200, 404, 200, 404, 200, 404, 200, 200, 200, 404]),
            ("land_parcel.read", [200, 200, 200, 200, 200, 200, 200, 200, 403, 403, 200, 200]),
            ("land_parcel.list", [200, 200, 200, 200, 200, 200, 200, 200, 403, 403, 200, 200]),
            ("land_parcel.create", [201, 201, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
            ("land_parcel.update", [200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
            ("land_parcel.delete", [204, 204, 204, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
            ("land_parcel.import", [201, 201, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
        ] + conventionExpectations + workerExpectations + engagementExpectations + walkExpectations
        + meetingExpectations + residentExpectations

    struct Cell: CustomTestStringConvertible, Sendable {
        var operation: String
        var role: Role
        var engine: Engine
        var testDescription: String { "\(operation) as \(role.rawValue) on \(engine.rawValue)" }
    }

    static var cells: [Cell] {
        TestDatabases.engines.flatMap { engine in
            expectations.flatMap { operation, _ in Role.allCases.map { Cell(operation: operation, role: $0, engine: engine) } }
        }
    }

    @Test("every operation × role × own/foreign answers as the table says", arguments: cells)
    func cell(_ cell: Cell) async throws {
        let expected = Self.expectations.first { $0.0 == cell.operation }!.1
        let index = Role.allCases.firstIndex(of: cell.role)! * 2
        try await TestApp.run(cell.engine) { api in
            // Signalements are placed, land parcels must lie in their territories: both need the contours.
            let contoured = cell.operation.hasPrefix("signalement.") || cell.operation.hasPrefix("land_parcel.")
            let places = contoured ? try await api.fixture.drawContours() : nil
            for (side, status) in [(Side.own, expected[index]), (Side.foreign, expected[index + 1])] {
                let request = try await Self.request(cell.operation, side: side, role: cell.role, api: api, places: places)
                let reply = try await api.call(
                    request.method, request.path, as: cell.role, json: request.body, raw: request.raw,
                    headers: request.raw == nil ? [:] : [.contentType: "image/jpeg"])
                #expect(reply.status == status, "\(cell.operation) \(side) as \(cell.role.rawValue): \(reply.text)")
            }
        }
    }

    enum Side: String { case own, foreign }

    struct Request {
        var method: HTTPRequest.Method
        var path: String
        var body: [String: Any]?
        /// A JPEG photo instead of a JSON body.
        var raw: Data?

        init(method: HTTPRequest.Method, path: String, body: [String: Any]? = nil, raw: Data? = nil) {
            self.method = method
            self.path = path
            self.body = body
            self.raw = raw
        }
    }

    /// The HTTP request of one operation against side A (own) or side B (foreign); resources that the
    /// request consumes (deletions) are made fresh first.
    static func request(_ operation: String, side: Side, role: Role, api: API, places: Contours?) async throws -> Request {
        let f = api.fixture
        let store = f.store
        let root = Fixture.root
        let partner = side == .own ? f.partnerA : f.partnerB
        let territory = side == .own ? f.qpvA : f.communeB
        let unique = Identifier.make("x").lowercased().suffix(10)
        func freshTechnician() async throws -> User {
            try await store.createUser(NewUser(email: "t\(unique)@\(side).test", role: .technician, partnerId: partner.id), by: root)
        }
        func freshCategory() async throws -> GUSPCore.Category {
            try await store.createCategory(
                NewCategory(
                    code: "c\(unique)", label: "Fresh", parentId: nil, commitment: nil,
                    residentFileable: true), by: root)
        }
        let selfId = role == .partnerSystem ? f.technicianB.id : f.users[role]!.id
        switch operation {
        case "me": return Request(method: .get, path: "/v1/me")
        case "partner.read": return Request(method: .get, path: "/v1/partners/\(partner.id)")
        case "partner.list": return Request(method: .get, path: "/v1/partners?territory=\(territory.id)")
        case "partner.create":
            return Request(method: .post, path: "/v1/partners", body: ["kind": "association", "name": "Asso", "territory_ids": [territory.id]])
        case "partner.update":
            return Request(method: .patch, path: "/v1/partners/\(partner.id)", body: ["contact_phone": "04 75 00 00 01"])
        case "partner.delete":
            let fresh = try await store.createPartner(NewPartner(kind: .other, name: "Fresh", territoryIds: [territory.id]), by: root)
            return Request(method: .delete, path: "/v1/partners/\(fresh.id)")
        case "partner.events": return Request(method: .get, path: "/v1/events?resource_type=partner&resource_id=\(partner.id)")
        case "api_key.create": return Request(method: .post, path: "/v1/partners/\(partner.id)/api-keys", body: ["name": "k"])
        case "api_key.list": return Request(method: .get, path: "/v1/partners/\(partner.id)/api-keys")
        case "api_key.revoke":
            let key = try await store.createApiKey(partnerId: partner.id, name: "fresh", expiresAt: nil, by: root)
            return Request(method: .delete, path: "/v1/partners/\(partner.id)/api-keys/\(key.record.id)")
        case "territory.read": return Request(method: .get, path: "/v1/territories/\(territory.id)")
        case "territory.list": return Request(method: .get, path: "/v1/territories?parent=\(territory.id)")
        case "territory.create":
            return Request(
                method: .post, path: "/v1/territories",
                body: ["kind": "sector", "code": "s\(unique)", "label": "Secteur", "parent_id": territory.id])
        case "territory.update": return Request(method: .patch, path: "/v1/territories/\(territory.id)", body: ["label": "Renamed"])
        case "territory.delete":
            let fresh = try await store.createTerritory(
                NewTerritory(kind: .sector, code: "d\(unique)", label: "Fresh", parentId: territory.id), by: root)
            return Request(method: .delete, path: "/v1/territories/\(fresh.id)")
        case "category.read":
            let seeded = try await store.categories(CategoryFilter(), page: try PageRequest(limit: 1), by: root).items[0]
            return Request(method: .get, path: "/v1/categories/\(seeded.id)")
        case "category.list": return Request(method: .get, path: "/v1/categories")
        case "category.create": return Request(method: .post, path: "/v1/categories", body: ["code": "n\(unique)", "label": "Nouvelle"])
        case "category.update": return Request(method: .patch, path: "/v1/categories/\(try await freshCategory().id)", body: ["label": "Autre"])
        case "category.delete": return Request(method: .delete, path: "/v1/categories/\(try await freshCategory().id)")
        case "user.read": return Request(method: .get, path: "/v1/users/\(try await freshTechnician().id)")
        case "user.read_self": return Request(method: .get, path: "/v1/users/\(selfId)")
        case "user.list": return Request(method: .get, path: "/v1/users?partner=\(partner.id)")
        case "user.create":
            return Request(
                method: .post, path: "/v1/users",
                body: ["email": "n\(unique)@\(side).test", "role": "technician", "partner_id": partner.id])
        case "user.update": return Request(method: .patch, path: "/v1/users/\(try await freshTechnician().id)", body: ["display_name": "X"])
        case "user.update_access":
            return Request(method: .patch, path: "/v1/users/\(try await freshTechnician().id)", body: ["partner_id": partner.id])
        case "user.update_self": return Request(method: .patch, path: "/v1/users/\(selfId)", body: ["display_name": "Moi"])
        case "user.delete": return Request(method: .delete, path: "/v1/users/\(try await freshTechnician().id)")
        case let name where name.hasPrefix("signalement."):
            return try await signalementRequest(name, side: side, api: api, places: places!)
        case let name where name.hasPrefix("land_parcel."):
            return try await landParcelRequest(name, side: side, api: api)
        case let name
        where name.hasPrefix("convention.") || name.hasPrefix("action_sheet.") || name.hasPrefix("atfpb_")
            || name.hasPrefix("intervention."):
            return try await conventionRequest(name, side: side, api: api)
        case let name
        where name.hasPrefix("escalation.") || name.hasPrefix("webhook.") || name.hasPrefix("indicator.")
            || name.hasPrefix("security_log."):
            return try await workerRequest(name, side: side, api: api, places: places)
        case let name where name.hasPrefix("engagement."):
            return try await engagementRequest(name, side: side, api: api)
        case let name where name.hasPrefix("walk."):
            return try await walkRequest(name, side: side, api: api)
        case let name where name.hasPrefix("meeting."):
            return try await meetingRequest(name, side: side, api: api)
        case "contact.erase", "contact_reads.list", "public.tracking":
            return try await residentRequest(operation, side: side, api: api)
        default: throw ConfigurationError("the matrix names an operation without a request: \(operation)")
        }
    }

    /// Own: a lift in QPV A, routed to bailleur A, reported by the fixture's resident. Foreign: the same
    /// in commune B (bailleur B), reported by another resident.
    static func signalementRequest(_ operation: String, side: Side, api: API, places: Contours) async throws -> Request {
        let f = api.fixture
        let store = f.store
        let point = side == .own ? places.inQPV : places.inCommuneB
        let lift = try await f.category("parties_communes")
        let reporter: Actor
        if side == .own {
            reporter = try await f.actor(.resident)
        } else {
            let user = try await store.registerResident(
                email: "r\(Identifier.make("x").lowercased().suffix(10))@b.test",
                password: "long enough pw", displayName: nil)
            reporter = try await store.authenticate(
                bearer: try await store.issuePersonalToken(
                    userId: user.id, name: "t", lifetime: 600,
                    createdBy: nil
                ).secret)
        }
        let id = try await store.createSignalement(
            NewSignalement(categoryId: lift, description: "Ascenseur en panne", location: point),
            by: reporter
        ).signalement.id
        let partner = side == .own ? f.partnerA.id : f.partnerB.id
        switch operation {
        case "signalement.read": return Request(method: .get, path: "/v1/signalements/\(id)")
        case "signalement.list": return Request(method: .get, path: "/v1/signalements?status=submitted")
        case "signalement.create":
            return Request(
                method: .post, path: "/v1/signalements",
                body: ["category_id": lift, "description": "Porte du hall cassée", "location": ["lat": point.lat, "long": point.long]])
        case "signalement.update": return Request(method: .patch, path: "/v1/signalements/\(id)", body: ["priority": "high"])
        case "signalement.comment":
            return Request(method: .post, path: "/v1/signalements/\(id)/comments", body: ["body": "Merci"])
        case "signalement.comment_internal":
            return Request(method: .post, path: "/v1/signalements/\(id)/comments", body: ["body": "Pièce commandée", "visibility": "internal"])
        case "signalement.confirm": return Request(method: .post, path: "/v1/signalements/\(id)/confirmations")
        case "signalement.transition":
            return Request(method: .post, path: "/v1/signalements/\(id)/transitions", body: ["to": "acknowledged"])
        case "signalement.assign":
            return Request(method: .post, path: "/v1/signalements/\(id)/assign", body: ["partner_id": partner])
        case "signalement.events": return Request(method: .get, path: "/v1/signalements/\(id)/events")
        default: throw ConfigurationError("the matrix names an operation without a request: \(operation)")
        }
    }

    /// Own: a parcel of bailleur A (in QPV A); foreign: one of bailleur B (in commune B).
    static func landParcelRequest(_ operation: String, side: Side, api: API) async throws -> Request {
        let f = api.fixture
        let partner = side == .own ? f.partnerA.id : f.partnerB.id
        let rectangle = side == .own ? Contours.rectangle(4.905, 44.925, 4.915, 44.935) : Contours.rectangle(-1.70, 48.10, -1.65, 48.12)
        let square = try JSONSerialization.jsonObject(with: Data(rectangle))
        let parcel = try await f.store.createLandParcel(
            NewLandParcel(label: "Résidence", partnerId: partner, geometryJSON: rectangle),
            by: Fixture.root)
        switch operation {
        case "land_parcel.read": return Request(method: .get, path: "/v1/land-parcels/\(parcel.id)")
        case "land_parcel.list": return Request(method: .get, path: "/v1/land-parcels?partner=\(partner)")
        case "land_parcel.create":
            return Request(method: .post, path: "/v1/land-parcels", body: ["label": "Square", "partner_id": partner, "geometry": square])
        case "land_parcel.update": return Request(method: .patch, path: "/v1/land-parcels/\(parcel.id)", body: ["label": "Renommée"])
        case "land_parcel.delete": return Request(method: .delete, path: "/v1/land-parcels/\(parcel.id)")
        case "land_parcel.import":
            return Request(
                method: .post, path: "/v1/land-parcels/import",
                body: [
                    "type": "FeatureCollection",
                    "features": [["type": "Feature", "geometry": square, "properties": ["label": "Importée", "partner_id": partner]]],
                ])
        default: throw ConfigurationError("the matrix names an operation without a request: \(operation)")
        }
    }
}
