import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Logging
import SQLKit
import ServiceLifecycle
import Testing

@Suite("Workers: crashes, restarts, shutdown, retention")
struct WorkerTests {
    static let hour: TimeInterval = 3_600

    /// 300 lifts filed in QPV A by the resident, due in 24 h.
    static func fileMany(_ f: Fixture, _ count: Int) async throws {
        let places = try await f.drawContours()
        let lift = try await f.category("parties_communes")
        let resident = try await f.actor(.resident)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask {
                    _ = try await f.store.createSignalement(
                        NewSignalement(
                            categoryId: lift, description: "Ascenseur \(index)",
                            location: Position(long: places.inQPV.long + Double(index % 40) * 0.0002, lat: places.inQPV.lat)), by: resident)
                }
            }
            try await group.waitForAll()
        }
    }

    @Test("a worker cancelled mid-sweep and restarted loses nothing and doubles nothing", arguments: TestDatabases.engines)
    func cancelledMidSweep(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            try await Self.fileMany(f, 300)
            clock.advance(24 * Self.hour)
            var logger = Logger(label: "worker")
            logger.logLevel = .critical
            // Small batches. The step holds the 3rd until the test cancels the worker, then runs it in the cancelled task: the
            // cancellation lands after 2 whole batches, before or while the 3rd commits, never before the first nor after the last.
            let batch = 7
            let steps = StepCounter()
            let (held, holding) = AsyncStream.makeStream(of: Void.self)
            let worker = PeriodicWorker(name: "escalation", interval: .milliseconds(1), logger: logger) {
                if await steps.increment() == 3 {
                    holding.yield()
                    do {
                        try await Task.sleep(for: .seconds(60))
                        Issue.record("the worker was not cancelled within 60 s")
                    } catch {}
                }
                return try await store.sweepEscalations(limit: batch).examined > 0
            } finish: {
                holding.finish()
            }
            let running = Task { try await worker.run() }
            for await _ in held { break }
            running.cancel()
            _ = await running.result
            let before = try await Self.escalationCount(store)
            #expect(await steps.value == 3, "the worker stops at the step it was cancelled in")
            #expect(before > 0, "cancelled mid-sweep, after the first batch")
            #expect(before < 300, "cancelled mid-sweep, before the last batch")
            #expect(before % batch == 0, "a batch commits whole or not at all: \(before) escalations")
            #expect(try await Self.escalatedEventCount(store) == before, "each escalation commits with its event")
            // Restarted: it finishes the work.
            while try await store.sweepEscalations(limit: 50).examined > 0 {}
            let escalations = try await Self.escalationCount(store)
            #expect(escalations == 300, "cancelled after \(before)")
            #expect(try await Self.escalatedEventCount(store) == 300, "cancelled after \(before)")
        }
    }

    static func escalatedEventCount(_ store: Store) async throws -> Int {
        var count = 0
        var cursor: String?
        repeat {
            let page = try await store.events(
                resourceType: nil, resourceId: nil, page: try PageRequest(limit: 500, cursor: cursor),
                by: Fixture.root)
            count += page.items.filter { $0.action == "escalated" }.count
            cursor = page.nextCursor
        } while cursor != nil
        return count
    }

    static func escalationCount(_ store: Store) async throws -> Int {
        var count = 0
        var cursor: String?
        repeat {
            let page = try await store.escalations(EscalationFilter(), page: try PageRequest(limit: 500, cursor: cursor), by: Fixture.root)
            count += page.items.count
            cursor = page.nextCursor
        } while cursor != nil
        return count
    }

    @Test(
        "without an active subscription, filings, transitions and escalations write no outbox message; with one, a change does",
        arguments: TestDatabases.engines)
    func outboxOnlyForSubscribers(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock, settings: Store.Settings(webhooksAllowPrivate: true)) { store in
            let f = try await Fixture.make(store)
            try await Self.fileMany(f, 3)
            let filed = try await store.signalements(SignalementFilter(), page: try PageRequest(limit: 10), by: Fixture.root).items
            _ = try await store.transitionSignalement(filed[0].id, to: .acknowledged, note: nil, ifVersion: nil, by: Fixture.root)
            clock.advance(24 * Self.hour)
            #expect(try await store.sweepEscalations(limit: 50).examined == 3)
            #expect(try await Self.outboxTypes(store) == [], "nobody subscribes")
            _ = try await store.createWebhookSubscription(
                NewWebhookSubscription(partnerId: nil, url: "http://127.0.0.1:9/hook", eventTypes: ["*"]),
                by: Fixture.root)
            _ = try await store.transitionSignalement(filed[1].id, to: .acknowledged, note: nil, ifVersion: nil, by: Fixture.root)
            #expect(try await Self.outboxTypes(store) == ["signalement.status_changed"])
        }
    }

    @Test(
        "messages left waiting when the last subscription is paused are marked dispatched a slice at a time, oldest first, never what is under a second old",
        arguments: TestDatabases.engines)
    func outboxAfterSubscriptionsPaused(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock, settings: Store.Settings(webhooksAllowPrivate: true)) { store in
            let f = try await Fixture.make(store)
            let subscription = try await store.createWebhookSubscription(
                NewWebhookSubscription(partnerId: nil, url: "http://127.0.0.1:9/hook", eventTypes: ["*"]), by: Fixture.root)
            try await Self.fileMany(f, 5)
            clock.advance(2)
            try await Self.fileMany(f, 1)
            _ = try await store.updateWebhookSubscription(
                subscription.subscription.id, WebhookSubscriptionChanges(active: false),
                ifVersion: nil, by: Fixture.root)
            #expect(try await store.dispatchOutbox(limit: 2) == 2)
            let dispatched = try await store.database.read { db in
                try await db.raw("SELECT dispatched_at FROM outbox ORDER BY created_at, id").all()
                    .map { try $0.decode(column: "dispatched_at", as: Int64?.self) != nil }
            }
            #expect(dispatched == [true, true, false, false, false, false], "the two oldest")
            #expect(try await store.dispatchOutbox(limit: 2) == 2)
            #expect(try await store.dispatchOutbox(limit: 2) == 1)
            #expect(try await store.dispatchOutbox(limit: 2) == 0, "the sixth is under a second old")
            clock.advance(2)
            #expect(try await store.dispatchOutbox(limit: 2) == 1)
            #expect(
                try await store.database.read { db in
                    try await db.raw("SELECT COUNT(*) AS n FROM webhook_deliveries").first()!.decode(column: "n", as: Int.self)
                } == 0, "no delivery for a paused subscription")
        }
    }

    static func outboxTypes(_ store: Store) async throws -> [String] {
        try await store.database.read { db in
            try await db.raw("SELECT event_type FROM outbox ORDER BY created_at, id").all().map {
                try $0.decode(column: "event_type", as: String.self)
            }
        }
    }

    @Test("a graceful shutdown stops the worker between steps; unsent claims are released for others", arguments: TestDatabases.engines)
    func gracefulShutdown(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock, settings: Store.Settings(webhooksAllowPrivate: true)) { store in
            let f = try await Fixture.make(store)
            let system = try await f.actor(.partnerSystem)
            _ = try await store.createWebhookSubscription(
                NewWebhookSubscription(partnerId: nil, url: "http://127.0.0.1:9/hook", eventTypes: ["*"]),
                by: system)
            _ = try await store.upsertIntervention(
                partnerId: f.partnerA.id, externalId: "G-1",
                InterventionReport(kind: "nettoyage", status: .planned), by: system)
            #expect(try await store.dispatchOutbox() == 1)
            let claimed = try await store.claimDeliveries(owner: "worker-1", limit: 10)
            #expect(claimed.count == 1)
            #expect(try await store.claimDeliveries(owner: "worker-2", limit: 10).isEmpty, "leased to worker 1")
            try await store.releaseDeliveries(owner: "worker-1")
            #expect(try await store.claimDeliveries(owner: "worker-2", limit: 10).map(\.id) == claimed.map(\.id))

            // A worker in a service group stops when the group shuts down gracefully.
            var logger = Logger(label: "worker")
            logger.logLevel = .critical
            let steps = StepCounter()
            let worker = PeriodicWorker(name: "test", interval: .seconds(60), logger: logger) {
                await steps.increment()
                return false
            }
            let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], logger: logger))
            let running = Task { try await group.run() }
            while await steps.value == 0 { try await Task.sleep(for: .milliseconds(5)) }
            await group.triggerGracefulShutdown()
            try await running.value
            #expect(await steps.value == 1)
        }
    }

    actor StepCounter {
        var value = 0
        @discardableResult func increment() -> Int {
            value += 1
            return value
        }
    }

    @Test(
        "retention purges contacts 90 days after closure, expired tokens and idempotency records, and counts them",
        arguments: TestDatabases.engines)
    func retention(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let technician = try await f.actor(.technician)
            let lift = try await f.category("parties_communes")
            let contact = ReporterContact(name: "Awa Diallo", email: "awa@example.org", phone: nil)
            let closed = try await store.createSignalement(
                NewSignalement(
                    categoryId: lift, description: "Ascenseur", location: places.inQPV,
                    contact: contact), by: resident
            ).signalement
            let open = try await store.createSignalement(
                NewSignalement(
                    categoryId: lift, description: "Porte", location: places.inQPV,
                    contact: contact), by: resident
            ).signalement
            _ = try await store.transitionSignalement(closed.id, to: .acknowledged, note: nil, ifVersion: nil, by: technician)
            _ = try await store.transitionSignalement(closed.id, to: .resolved, note: nil, ifVersion: nil, by: technician)
            _ = try await store.transitionSignalement(closed.id, to: .closed, note: nil, ifVersion: nil, by: resident)
            clock.advance(89 * 86_400)
            let first = try await store.purgeExpiredData()
            #expect(first.contactsPurged == 0)
            #expect(first.tokensDeleted == 5, "the fixture's five personal tokens (an hour long); its API key lives a year")
            #expect(try await store.signalement(closed.id, by: Fixture.root).contact != nil)
            clock.advance(2 * 86_400)
            let run = try await store.purgeExpiredData()
            #expect(run.contactsPurged == 1)
            #expect(run.tokensDeleted == 0)
            #expect(try await store.signalement(closed.id, by: Fixture.root).contact == nil)
            #expect(try await store.signalement(open.id, by: Fixture.root).contact == contact)
            #expect(try await store.purgeExpiredData() == RetentionRun(contactsPurged: 0, tokensDeleted: 0, idempotencyRecordsDeleted: 0))
        }
    }
}
