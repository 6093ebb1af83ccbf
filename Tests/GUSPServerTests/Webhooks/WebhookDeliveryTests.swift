import AsyncHTTPClient
import Foundation
import GUSPDatabase
import GUSPTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import GUSPCore

@Suite("Webhook delivery to a real receiver")
struct WebhookDeliveryTests {
    struct Received: Sendable {
        var id: String, timestamp: String, signature: String, body: [UInt8]
    }

    final class ReceivedLog: Sendable {
        let entries = Mutex<[Received]>([])
        func append(_ received: Received) -> Int {
            entries.withLock {
                $0.append(received)
                return $0.count
            }
        }
        var all: [Received] { entries.withLock { $0 } }
    }

    /// A receiver on loopback that answers `failures` times 503, then 204, and keeps what it got.
    static func receiver(failures: Int, _ log: ReceivedLog) -> Application<RouterResponder<BasicRequestContext>> {
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let count = log.append(
                Received(
                    id: request.headers[.init("webhook-id")!] ?? "",
                    timestamp: request.headers[.init("webhook-timestamp")!] ?? "",
                    signature: request.headers[.init("webhook-signature")!] ?? "", body: Array(buffer: body)))
            return Response(status: count <= failures ? .serviceUnavailable : .noContent)
        }
        var logger = Logger(label: "receiver")
        logger.logLevel = .critical
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
    }

    @Test("failing twice then accepting: delivered once, three attempts recorded, the signature verifies", arguments: TestDatabases.engines)
    func retriesUntilAccepted(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock, settings: Store.Settings(webhooksAllowPrivate: true)) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let system = try await f.actor(.partnerSystem)
            let resident = try await f.actor(.resident)
            let log = ReceivedLog()
            try await Self.receiver(failures: 2, log).test(.live) { client in
                let created = try await store.createWebhookSubscription(
                    NewWebhookSubscription(
                        partnerId: nil, url: "http://127.0.0.1:\(client.port!)/hook", eventTypes: ["signalement.created"]), by: system)
                #expect(created.subscription.partnerId == f.partnerA.id)
                #expect(created.secret.hasPrefix("whsec_"))
                let filed = try await store.createSignalement(
                    NewSignalement(
                        categoryId: try await f.category("parties_communes"), description: "Ascenseur", location: places.inQPV), by: resident)
                // Not for partner A: a street lamp routed to the city is not delivered to A's subscription.
                _ = try await store.createSignalement(
                    NewSignalement(
                        categoryId: try await f.category("eclairage"), description: "Lampadaire", location: places.inCommuneA), by: resident)
                var logger = Logger(label: "sender")
                logger.logLevel = .critical
                let sender = WebhookSender(store: store, logger: logger)
                for _ in 0..<4 {
                    _ = try await sender.step()
                    clock.advance(3_600)
                }
                await sender.stop()
                let deliveries = try await store.webhookDeliveries(
                    subscriptionId: created.subscription.id, status: nil, page: try PageRequest(),
                    by: system
                ).items
                #expect(deliveries.count == 1)
                let delivery = try #require(deliveries.first)
                #expect(delivery.status == .delivered)
                #expect(delivery.attempts == 3)
                #expect(delivery.deliveredAt != nil)
                #expect(delivery.attemptLog.map(\.statusCode) == [503, 503, 204])
                let received = log.all
                #expect(received.count == 3)
                #expect(Set(received.map(\.id)) == [delivery.id])
                for attempt in received {
                    #expect(
                        StandardWebhooks.verify(
                            header: attempt.signature, secret: created.secret, id: attempt.id,
                            timestamp: Int64(attempt.timestamp) ?? 0, body: attempt.body))
                    #expect(
                        !StandardWebhooks.verify(
                            header: attempt.signature, secret: StandardWebhooks.newSecret(), id: attempt.id,
                            timestamp: Int64(attempt.timestamp) ?? 0, body: attempt.body))
                }
                let payload = try JSONSerialization.jsonObject(with: Data(received[2].body)) as? [String: Any]
                #expect(payload?["type"] as? String == "signalement.created")
                #expect((payload?["data"] as? [String: Any])?["signalement_id"] as? String == filed.signalement.id)
                // Replaying sends it again.
                let replayed = try await store.replayWebhookDelivery(delivery.id, by: system)
                #expect(replayed.status == .pending)
                let again = WebhookSender(store: store, logger: logger)
                _ = try await again.step()
                await again.stop()
                #expect(log.all.count == 4)
            }
        }
    }

    @Test("a named target is connected at the address its check found, whatever a later lookup of the name says", arguments: TestDatabases.engines)
    func pinnedAddress(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, settings: Store.Settings(webhooksAllowPrivate: true)) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let system = try await f.actor(.partnerSystem), resident = try await f.actor(.resident)
            let log = ReceivedLog()
            try await Self.receiver(failures: 0, log).test(.live) { client in
                var logger = Logger(label: "sender")
                logger.logLevel = .critical
                let sender = WebhookSender(store: store, logger: logger)
                // A name that never resolves (.invalid), pinned to the receiver: only the pinned address can reach it.
                var request = HTTPClientRequest(url: "http://rebound.invalid:\(client.port!)/hook")
                request.method = .POST
                let response = try await sender.execute(request, pinnedTo: .init(host: "rebound.invalid", address: "127.0.0.1"))
                #expect(response.status.code == 204)
                #expect(log.all.count == 1)
                // End to end, a subscription by name: looked up when checked, sent to what was found.
                _ = try await store.createWebhookSubscription(
                    NewWebhookSubscription(
                        partnerId: nil, url: "http://localhost:\(client.port!)/hook", eventTypes: ["signalement.created"]), by: system)
                _ = try await store.createSignalement(
                    NewSignalement(
                        categoryId: try await f.category("parties_communes"), description: "Ascenseur", location: places.inQPV), by: resident)
                _ = try await sender.step()
                await sender.stop()
                #expect(log.all.count == 2)
            }
        }
    }

    @Test("targets on private, loopback, link-local or metadata addresses are refused unless allowed", arguments: TestDatabases.engines)
    func privateTargets(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let system = try await f.actor(.partnerSystem)
            for url in [
                "https://127.0.0.1/hook", "https://10.1.2.3/hook", "https://169.254.169.254/latest/meta-data", "https://[::1]/hook",
                "https://192.168.1.10/x", "https://[fd00::1]/x", "https://localhost/hook",
            ] {
                await #expect(throws: ValidationFailure(field: "url", message: "resolves to a private or reserved address; refused"), "\(url)") {
                    try await store.createWebhookSubscription(NewWebhookSubscription(partnerId: nil, url: url, eventTypes: ["*"]), by: system)
                }
            }
            for url in ["http://example.org/hook", "ftp://example.org"] {
                await #expect(throws: ValidationFailure(field: "url", message: "must use https"), "\(url)") {
                    try await store.createWebhookSubscription(NewWebhookSubscription(partnerId: nil, url: url, eventTypes: ["*"]), by: system)
                }
            }
            #expect(WebhookTarget.isPrivate("::ffff:127.0.0.1"))
            #expect(WebhookTarget.isPrivate("100.64.0.1"))
            #expect(!WebhookTarget.isPrivate("93.184.216.34"))
            // A name is looked up (off the shared pool) and refused for where it leads, not for failing to resolve.
            for name in ["https://localhost/hook", "https://127.0.0.1/hook"] {
                do throws(ValidationFailure) {
                    try await WebhookTarget.check(name, allowPrivate: false)
                    Issue.record("\(name) accepted")
                } catch {
                    #expect(error.errors.map(\.message) == ["resolves to a private or reserved address; refused"], "\(name)")
                }
            }
            // A literal address is connected as it is; a name, at the address the check found for it.
            #expect(try await WebhookTarget.check("https://93.184.216.34/x", allowPrivate: false) == nil)
            #expect(try await WebhookTarget.check("http://localhost:8080/x", allowPrivate: true)?.address == "127.0.0.1")
            #expect(try await WebhookTarget.check("http://gusp-test.invalid/x", allowPrivate: true) == nil, "allowed, looked up when sent")
            // However an address is spelt, it is connected as it is (TLS must not be asked for a bracketed "name").
            #expect(try await WebhookTarget.check("https://[2606:4700:0:0::1]/x", allowPrivate: false) == nil)
            #expect(try await WebhookTarget.check("https://[2606:4700::ABCD]/x", allowPrivate: false) == nil)
            #expect(WebhookTarget.isLiteral("93.184.216.34"))
            #expect(WebhookTarget.isLiteral("[::1]"))
            #expect(!WebhookTarget.isLiteral("example.org"))
            await #expect(throws: ValidationFailure(field: "event_types", message: "unknown event types: nope")) {
                try await store.createWebhookSubscription(
                    NewWebhookSubscription(partnerId: nil, url: "https://93.184.216.34/x", eventTypes: ["nope"]),
                    by: system)
            }
            // Another partner's subscription cannot be made, read or replayed.
            await #expect(throws: DomainError.forbidden("a partner subscribes for itself only")) {
                try await store.createWebhookSubscription(
                    NewWebhookSubscription(
                        partnerId: f.partnerB.id, url: "https://93.184.216.34/x",
                        eventTypes: ["*"]), by: system)
            }
            let mine = try await store.createWebhookSubscription(
                NewWebhookSubscription(
                    partnerId: nil, url: "https://93.184.216.34/x",
                    eventTypes: ["*"]), by: system)
            await #expect(throws: DomainError.notFound("webhook subscription not found")) {
                try await store.webhookSubscription(mine.subscription.id, by: try await f.actor(of: f.technicianB))
            }
        }
    }
}
