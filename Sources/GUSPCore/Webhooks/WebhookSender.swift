import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// Sends claimed deliveries with async-http-client, signed the Standard Webhooks way, 10 s each, a few
/// at a time; the outcome of each attempt and the release of its claim commit together.
public final class WebhookSender: Sendable {
    let store: Store
    let logger: Logger
    /// This process's name on the leases it takes.
    public let owner = Identifier.make("wkr")
    /// Made at the first send (a sender that never runs has nothing to shut down), shut down by `stop`.
    private let client = Mutex<HTTPClient?>(nil)
    let concurrency: Int

    public init(store: Store, logger: Logger, concurrency: Int = 8) {
        self.store = store
        self.logger = logger
        self.concurrency = concurrency
    }

    private var httpClient: HTTPClient {
        client.withLock { client in
            if let client { return client }
            let made = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.configuration(pinnedTo: nil))
            client = made
            return made
        }
    }

    /// No redirects (one could lead to a private address the target check did not see), 5 s to connect,
    /// 10 s to read; pinned, the connection goes to the checked address while TLS still asks for and
    /// verifies the host's name (async-http-client's `dnsOverride`).
    static func configuration(pinnedTo destination: WebhookTarget.Destination?) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(5), read: .seconds(10))
        if let destination { configuration.dnsOverride = [destination.host: destination.address] }
        return configuration
    }

    /// Sends `request` to `destination`'s checked address through a client of its own (a client's
    /// `dnsOverride` is fixed when it is made; a delivery's connection is not reused anyway, its answer's
    /// body being left unread), or, for a literal address, through the shared client.
    func execute(_ request: HTTPClientRequest, pinnedTo destination: WebhookTarget.Destination?) async throws -> HTTPClientResponse {
        guard let destination else { return try await httpClient.execute(request, deadline: .now() + .seconds(10)) }
        let pinned = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.configuration(pinnedTo: destination))
        do {
            let response = try await pinned.execute(request, deadline: .now() + .seconds(10))
            try? await pinned.shutdown()
            return response
        } catch {
            try? await pinned.shutdown()
            throw error
        }
    }

    /// One round: dispatch the outbox, claim due deliveries, send them. Whether more may be waiting.
    public func step() async throws -> Bool {
        let dispatched = try await store.dispatchOutbox()
        let claimed = try await store.claimDeliveries(owner: owner, limit: concurrency)
        await withTaskGroup(of: Void.self) { group in
            for delivery in claimed {
                group.addTask { await self.send(delivery) }
            }
        }
        return dispatched == Store.outboxSlice || claimed.count == concurrency
    }

    func send(_ delivery: ClaimedDelivery) async {
        let startedAt = store.clock.now().storedMilliseconds
        var statusCode: Int?
        var failure: String?
        do {
            let destination = try await WebhookTarget.check(delivery.url, allowPrivate: store.settings.webhooksAllowPrivate)
            let timestamp = startedAt / 1_000
            let body = Array(delivery.payload.utf8)
            var request = HTTPClientRequest(url: delivery.url)
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.headers.add(name: "user-agent", value: "gusp-webhooks")
            request.headers.add(name: "webhook-id", value: delivery.id)
            request.headers.add(name: "webhook-timestamp", value: String(timestamp))
            request.headers.add(
                name: "webhook-signature",
                value: StandardWebhooks.signature(secret: delivery.secret, id: delivery.id, timestamp: timestamp, body: body))
            request.body = .bytes(ByteBuffer(bytes: body))
            // 10 s for the answer's head; its body is not read (a receiver trickling one cannot hold the
            // worker), which closes the connection.
            let response = try await execute(request, pinnedTo: destination)
            statusCode = Int(response.status.code)
            if !(200...299).contains(Int(response.status.code)) { failure = "HTTP \(response.status.code)" }
        } catch let refused as ValidationFailure {
            failure = "target refused: \(refused.errors.first?.message ?? "")"
        } catch {
            failure = "\(error)"
        }
        do {
            try await store.recordAttempt(delivery, owner: owner, statusCode: statusCode, error: failure, startedAt: startedAt)
        } catch {
            logger.error("could not record a webhook attempt", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
        }
    }

    /// Gives back unsent claims and closes the HTTP client.
    public func stop() async {
        try? await store.releaseDeliveries(owner: owner)
        let made = client.withLock { client in
            defer { client = nil }
            return client
        }
        try? await made?.shutdown()
    }
}
