import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import SQLKit
import Testing

extension PermissionMatrixTests {
    static let workerExpectations: [(String, [Int])] = [
        ("escalation.list", [200, 200, 200, 200, 200, 200, 200, 200, 403, 403, 200, 200]),
        ("escalation.acknowledge", [200, 200, 403, 404, 403, 404, 200, 404, 403, 403, 200, 404]),
        ("webhook.list", [200, 200, 403, 403, 403, 403, 200, 200, 403, 403, 200, 200]),
        ("webhook.create", [201, 201, 403, 403, 403, 403, 201, 403, 403, 403, 201, 403]),
        ("webhook.read", [200, 200, 403, 403, 403, 403, 200, 404, 403, 403, 200, 404]),
        ("webhook.deliveries", [200, 200, 403, 403, 403, 403, 200, 404, 403, 403, 200, 404]),
        ("indicator.read", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("indicator.by_partner", [200, 200, 200, 200, 200, 200, 200, 200, 403, 403, 200, 200]),
        ("security_log.read", [200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
    ]

    /// Own: a level-1 escalation of a lift in QPV A (bailleur A), a subscription of partner A; foreign: the
    /// same in commune B (bailleur B).
    static func workerRequest(_ operation: String, side: Side, api: API, places: Contours?) async throws -> Request {
        let f = api.fixture
        let store = f.store
        let partner = side == .own ? f.partnerA.id : f.partnerB.id
        switch operation {
        case "escalation.list": return Request(method: .get, path: "/v1/escalations?state=open")
        case "escalation.acknowledge":
            let places = try await f.drawContours()
            let reporter = try await f.actor(.resident)
            let filed = try await store.createSignalement(
                NewSignalement(
                    categoryId: try await f.category("parties_communes"), description: "Ascenseur",
                    location: side == .own ? places.inQPV : places.inCommuneB), by: reporter
            ).signalement
            // Due now: the sweep escalates it to level 1 (the partner).
            try await store.database.write { db in
                try await db.raw("UPDATE signalements SET next_escalation_at = 0 WHERE id = \(bind: filed.id)").run()
            }
            _ = try await store.sweepEscalations()
            let escalation = try await store.escalations(EscalationFilter(signalementId: filed.id), page: try PageRequest(), by: Fixture.root).items[
                0]
            return Request(method: .post, path: "/v1/escalations/\(escalation.id)/acknowledge")
        case "webhook.list": return Request(method: .get, path: "/v1/webhook-subscriptions")
        case "webhook.create":
            return Request(
                method: .post, path: "/v1/webhook-subscriptions",
                body: ["partner_id": partner, "url": "https://93.184.216.34/hook", "event_types": ["*"]])
        case "webhook.read", "webhook.deliveries":
            let subscription = try await store.createWebhookSubscription(
                NewWebhookSubscription(
                    partnerId: partner, url: "https://93.184.216.34/hook", eventTypes: ["signalement.created"]), by: Fixture.root
            ).subscription
            let path = "/v1/webhook-subscriptions/\(subscription.id)" + (operation == "webhook.deliveries" ? "/deliveries" : "")
            return Request(method: .get, path: path)
        case "indicator.read":
            let territory = side == .own ? f.qpvA.id : f.communeB.id
            return Request(
                method: .get, path: "/v1/indicators/signalements_received?from=2026-01-01&to=2026-12-31&territory=\(territory)&group_by=month")
        case "indicator.by_partner":
            return Request(method: .get, path: "/v1/indicators/backlog_now?from=2026-01-01&to=2026-12-31&group_by=partner&partner=\(partner)")
        case "security_log.read":
            let user = side == .own ? try await f.actor(.technician).id : try await f.actor(.coordinator).id
            return Request(method: .get, path: "/v1/security-events?user_id=\(user)&kind=login_succeeded")
        default: throw ConfigurationError("the matrix names an operation without a request: \(operation)")
        }
    }
}
