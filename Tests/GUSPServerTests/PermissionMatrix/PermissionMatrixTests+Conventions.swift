import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

extension PermissionMatrixTests {
    static let conventionExpectations: [(String, [Int])] = [
        ("convention.read", [200, 200, 200, 404, 200, 404, 200, 404, 200, 200, 200, 404]),
        ("convention.list", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("convention.create", [201, 201, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
        ("convention.update", [200, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403]),
        ("convention.terminate", [200, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403]),
        ("convention.amend", [201, 201, 201, 404, 403, 403, 403, 403, 403, 403, 403, 403]),
        // The fixture's coordinator and elected official belong to no partner: they sign nothing
        // (signing by a signatory's officials is in ConventionHTTPTests).
        ("convention.sign", [403, 403, 403, 404, 403, 404, 403, 403, 403, 403, 403, 403]),
        ("convention.versions", [200, 200, 200, 404, 200, 404, 200, 404, 200, 200, 200, 404]),
        ("convention.events", [200, 200, 200, 404, 200, 404, 200, 404, 403, 403, 200, 404]),
        ("action_sheet.update", [200, 200, 200, 404, 403, 403, 200, 404, 403, 403, 200, 404]),
        ("atfpb_programme.write", [200, 200, 200, 404, 403, 403, 200, 404, 403, 403, 200, 404]),
        ("atfpb_report.read", [200, 200, 200, 404, 200, 404, 200, 404, 403, 403, 200, 404]),
        ("intervention.read", [200, 200, 200, 404, 200, 404, 200, 404, 403, 403, 200, 404]),
        ("intervention.list", [200, 200, 200, 200, 200, 200, 200, 200, 403, 403, 200, 200]),
        ("intervention.write", [403, 403, 403, 403, 403, 403, 201, 403, 403, 403, 201, 403]),
        ("intervention.batch", [403, 403, 403, 403, 403, 403, 200, 403, 403, 403, 200, 403]),
        ("intervention.events", [200, 200, 200, 404, 200, 404, 200, 404, 403, 403, 200, 404]),
    ]

    /// Own: conventions over QPV A signed by bailleur A; foreign: over commune B (or a QPV in it) signed by
    /// bailleur B. Signed and active unless `draft`; ATFPB ones bind the bailleur of their side.
    static func matrixConvention(_ side: Side, api: API, kind: ConventionKind = .gusp, draft: Bool = false) async throws -> Convention {
        let f = api.fixture
        let store = f.store
        let root = Fixture.root
        let partner = side == .own ? f.partnerA : f.partnerB
        var territory = side == .own ? f.qpvA.id : f.communeB.id
        if kind == .atfpb, side == .foreign {
            territory = try await store.createTerritory(
                NewTerritory(kind: .qpv, code: "QN03501M", label: "Maurepas", parentId: f.communeB.id),
                by: root
            ).id
        }
        let convention = try await store.createConvention(
            NewConvention(
                kind: kind, title: "Convention \(side)", startDate: "2025-01-01", endDate: "2030-12-31", territoryIds: [territory],
                signatoryIds: [partner.id], bailleurId: kind == .atfpb ? partner.id : nil,
                axes: kind == .gusp ? [ConventionAxis(code: "A", title: "Cadre de vie")] : [],
                actionSheets: [
                    ActionSheetDraft(axis: kind == .gusp ? "A" : "3", title: "Halls", objective: "Halls propres", leadPartnerId: partner.id)
                ]),
            by: root)
        if draft { return convention }
        let signer = try await store.createUser(
            NewUser(
                email: "s\(Identifier.make("x").lowercased().suffix(10))@\(side).test", role: .coordinator, partnerId: partner.id,
                territoryIds: [territory]), by: root)
        return try await store.signConvention(convention.id, by: try await f.actor(of: signer)).convention
    }

    static func conventionRequest(_ operation: String, side: Side, api: API) async throws -> Request {
        let f = api.fixture
        let partner = side == .own ? f.partnerA.id : f.partnerB.id
        let territory = side == .own ? f.qpvA.id : f.communeB.id
        switch operation {
        case "convention.read": return Request(method: .get, path: "/v1/conventions/\(try await matrixConvention(side, api: api).id)")
        case "convention.list": return Request(method: .get, path: "/v1/conventions?territory=\(territory)")
        case "convention.create":
            return Request(
                method: .post, path: "/v1/conventions",
                body: [
                    "kind": "gusp", "title": "Nouvelle", "start_date": "2026-01-01", "end_date": "2027-12-31", "territory_ids": [territory],
                    "signatory_ids": [partner],
                ])
        case "convention.update":
            let draft = try await matrixConvention(side, api: api, draft: true)
            return Request(method: .patch, path: "/v1/conventions/\(draft.id)", body: ["title": "Titre revu"])
        case "convention.terminate":
            return Request(
                method: .post, path: "/v1/conventions/\(try await matrixConvention(side, api: api).id)/terminate",
                body: ["note": "fin"])
        case "convention.amend":
            return Request(
                method: .post, path: "/v1/conventions/\(try await matrixConvention(side, api: api).id)/amendments",
                body: ["summary": "Prolongation", "changes": ["end_date": "2031-12-31"]])
        case "convention.sign":
            let draft = try await matrixConvention(side, api: api, draft: true)
            return Request(method: .post, path: "/v1/conventions/\(draft.id)/signatures")
        case "convention.versions":
            return Request(method: .get, path: "/v1/conventions/\(try await matrixConvention(side, api: api).id)/versions")
        case "convention.events":
            return Request(method: .get, path: "/v1/conventions/\(try await matrixConvention(side, api: api).id)/events")
        case "action_sheet.update":
            let convention = try await matrixConvention(side, api: api)
            return Request(
                method: .patch, path: "/v1/conventions/\(convention.id)/action-sheets/\(convention.actionSheets[0].terms.id)",
                body: ["progress": 30])
        case "atfpb_programme.write":
            let convention = try await matrixConvention(side, api: api, kind: .atfpb)
            return Request(
                method: .put, path: "/v1/conventions/\(convention.id)/atfpb-programme/2026",
                body: [
                    "lines": [["axis": 3, "territory_id": convention.content.territoryIds[0], "planned_cents": 100_000]]
                ])
        case "atfpb_report.read":
            let convention = try await matrixConvention(side, api: api, kind: .atfpb)
            return Request(method: .get, path: "/v1/conventions/\(convention.id)/atfpb-report?year=2026")
        case let name where name.hasPrefix("intervention."):
            return try await interventionRequest(name, side: side, api: api)
        default: throw ConfigurationError("the matrix names an operation without a request: \(operation)")
        }
    }

    /// Own: an intervention of bailleur A in QPV A; foreign: one of bailleur B in commune B.
    static func interventionRequest(_ operation: String, side: Side, api: API) async throws -> Request {
        let f = api.fixture
        let partner = side == .own ? f.partnerA.id : f.partnerB.id
        let territory = side == .own ? f.qpvA.id : f.communeB.id
        let external = "E-\(Identifier.make("x").lowercased().suffix(10))"
        let body: [String: Any] = ["kind": "nettoyage", "status": "planned", "territory_id": territory]
        let existing = try await f.store.upsertIntervention(
            partnerId: partner, externalId: "seed-\(external)", InterventionReport(kind: "nettoyage", status: .planned, territoryId: territory),
            by: try await f.actor(of: side == .own ? f.users[.technician]! : f.technicianB)
        ).intervention
        switch operation {
        case "intervention.read": return Request(method: .get, path: "/v1/interventions/\(existing.id)")
        case "intervention.list": return Request(method: .get, path: "/v1/interventions?partner=\(partner)")
        case "intervention.write": return Request(method: .put, path: "/v1/partners/\(partner)/interventions/\(external)", body: body)
        case "intervention.batch":
            return Request(
                method: .post, path: "/v1/partners/\(partner)/interventions:batch",
                body: ["items": [body.merging(["external_id": external]) { $1 }]])
        case "intervention.events": return Request(method: .get, path: "/v1/interventions/\(existing.id)/events")
        default: throw ConfigurationError("the matrix names an operation without a request: \(operation)")
        }
    }
}
