import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import HTTPTypes
import Testing

@Suite("Errors that name the parameter or field")
struct ContractValidationTests {
    static func field(_ reply: Reply) -> (String?, String?) {
        let first = (reply.json["errors"] as? [[String: Any]])?.first
        return (first?["field"] as? String, first?["message"] as? String)
    }

    @Test("query and path parameters of the wrong type or out of bounds are 422s naming them", arguments: TestDatabases.engines)
    func parameters(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let cases: [(String, String, String)] = [
                ("/v1/signalements?updated_since=yesterday", "updated_since", "RFC 3339"),
                ("/v1/signalements?limit=abc", "limit", "from 1 to 500"),
                ("/v1/signalements?limit=0", "limit", "from 1 to 500"),
                ("/v1/signalements?limit=99999999999999999999999", "limit", "whole number"),
                ("/v1/signalements?overdue=yes", "overdue", "true or false"),
                ("/v1/escalations?state=closed", "state", "open, acknowledged"),
                ("/v1/conventions/cnv_x/atfpb-programme/twenty", "year", "whole number"),
                ("/v1/partners?limit=10&limit=20", "limit", "once"),
            ]
            for (path, name, words) in cases {
                let reply = try await api.call(.get, path, as: .admin)
                #expect(reply.status == 422, "\(path): \(reply.text)")
                #expect(reply.headers[.contentType] == "application/problem+json")
                let (field, message) = Self.field(reply)
                #expect(field == name, "\(path)")
                #expect(message?.contains(words) == true, "\(path): \(message ?? "")")
            }
            let several = try await api.call(.get, "/v1/signalements?limit=x&overdue=2&updated_since=hier", as: .admin)
            #expect(Set(several.invalidFields) == ["limit", "overdue", "updated_since"])
            #expect(try await api.call(.get, "/v1/signalements?limit=500&overdue=false", as: .admin).status == 200)
        }
    }

    @Test("a route that needs a caller answers 401 before looking at the input", arguments: TestDatabases.engines)
    func authenticationFirst(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let list = try await api.call(.get, "/v1/signalements?limit=abc")
            #expect(list.status == 401)
            #expect(list.headers[.wwwAuthenticate] != nil)
            let write = try await api.call(.post, "/v1/partners", json: ["kind": 12, "unknown": true])
            #expect(write.status == 401)
            let patch = try await api.call(
                .patch, "/v1/partners/\(api.fixture.partnerA.id)", json: ["name": ""], headers: [.contentType: "application/merge-patch+json"])
            #expect(patch.status == 401)
            let publicRoute = try await api.call(.post, "/v1/auth/token", json: ["email": "x@example.org"])
            #expect(publicRoute.status == 422, "an operation without security validates without a caller")
        }
    }

    @Test("an unknown body property is refused and named, null or not", arguments: TestDatabases.engines)
    func unknownProperties(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let created = try await api.call(
                .post, "/v1/partners", as: .admin,
                json: ["kind": "association", "name": "Régie", "territory_ids": [api.fixture.qpvA.id], "colour": "red"])
            #expect(created.status == 422)
            #expect(created.invalidFields == ["colour"])
            let path = "/v1/partners/\(api.fixture.partnerA.id)"
            for value: Any in [NSNull(), "x", 3] {
                let patched = try await api.call(
                    .patch, path, as: .admin, json: ["colour": value], headers: [.contentType: "application/merge-patch+json", .ifMatch: "\"1\""])
                #expect(patched.status == 422, "\(value)")
                #expect(patched.invalidFields == ["colour"])
            }
            let nested = try await api.call(
                .post, "/v1/categories", as: .admin,
                json: ["code": "test_x", "label": "Test", "commitment": ["amount": 3, "unit": "days", "grace": 1]])
            #expect(nested.invalidFields == ["commitment.grace"])
        }
    }

    @Test("integers beyond their bounds or 64 bits are 422s naming the field", arguments: TestDatabases.engines)
    func integers(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            for amount: Any in [0, 10_001, 3.5, Double(1e30)] {
                let reply = try await api.call(
                    .post, "/v1/categories", as: .admin, json: ["code": "test_y", "label": "Test", "commitment": ["amount": amount, "unit": "days"]])
                #expect(reply.status == 422, "\(amount): \(reply.text)")
                #expect(reply.invalidFields == ["commitment.amount"], "\(amount)")
            }
            let huge = try await api.call(
                .post, "/v1/categories", as: .admin,
                raw: Data(#"{"code":"test_z","label":"Test","commitment":{"amount":123456789012345678901234567890,"unit":"days"}}"#.utf8),
                headers: [.contentType: "application/json"])
            #expect(huge.status == 422, "\(huge.text)")
            #expect(huge.invalidFields == ["commitment.amount"])
            let fine = try await api.call(
                .post, "/v1/categories", as: .admin, json: ["code": "test_w", "label": "Test", "commitment": ["amount": 10_000, "unit": "days"]])
            #expect(fine.status == 201, "\(fine.text)")
        }
    }
}
