import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import HTTPTypes
import Logging
import Testing

@Suite("Operational metrics")
struct OperationalMetricsTests {
    /// `name{labels} value` lines of a scrape, by the full series.
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    @Test("backlogs, escalations, the group commit, connections and workers are on /metrics", arguments: TestDatabases.engines)
    func scrape(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let f = api.fixture
            let places = try await f.drawContours()
            let before = Self.samples(try await api.call(.get, "/metrics").text)
            for index in 0..<3 {
                let filed = try await api.call(
                    .post, "/v1/signalements", as: .resident,
                    json: [
                        "category_id": try await f.category("proprete"), "description": "Dépôt \(index)",
                        "location": ["lat": places.inQPV.lat, "long": places.inQPV.long],
                    ])
                #expect(filed.status == 201, "\(filed.text)")
            }
            // A worker of this process: one step that succeeds, one that fails.
            let name = "metrics-probe-\(UUID().uuidString.prefix(8))"
            let steps = ManagedCounter()
            let worker = PeriodicWorker(name: name, interval: .milliseconds(10), logger: Logger(label: "test")) {
                if steps.next() == 2 { throw TestFailure() }
                return false
            }
            let running = Task { try await worker.run() }
            while steps.value < 3 { try await Task.sleep(for: .milliseconds(10)) }
            running.cancel()
            _ = try? await running.value
            let reply = try await api.call(.get, "/metrics")
            #expect(reply.status == 200)
            let after = Self.samples(reply.text)
            for series in [
                "gusp_outbox_pending", "gusp_webhook_deliveries{status=\"pending\"}", "gusp_webhook_deliveries{status=\"failed\"}",
                "gusp_webhook_deliveries_due", "gusp_escalations_open{level=\"1\"}", "gusp_escalations_due", "gusp_notifications{status=\"pending\"}",
                "gusp_group_commit_batch_size_count", "gusp_group_commit_wait_seconds_count",
            ] {
                #expect(after[series] != nil, "\(series) is missing")
            }
            #expect((after["gusp_group_commit_batch_size_sum"] ?? 0) >= (before["gusp_group_commit_batch_size_sum"] ?? 0) + 3)
            #expect((after["gusp_group_commit_wait_seconds_count"] ?? 0) >= (before["gusp_group_commit_wait_seconds_count"] ?? 0) + 3)
            #expect(after["gusp_worker_steps_total{worker=\"\(name)\",outcome=\"succeeded\"}"].map { $0 >= 2 } == true)
            #expect(after["gusp_worker_steps_total{worker=\"\(name)\",outcome=\"failed\"}"] == 1)
            #expect(after["gusp_worker_step_duration_seconds_count{worker=\"\(name)\"}"].map { $0 >= 3 } == true)
            let last = try #require(after["gusp_worker_last_success_timestamp_seconds{worker=\"\(name)\"}"])
            #expect(abs(last - Date().timeIntervalSince1970) < 60)
            if engine == .sqlite {
                #expect(after["gusp_database_connections_capacity{pool=\"sqlite_readers\"}"].map { $0 >= 1 } == true)
                #expect(after["gusp_sqlite_wal_bytes"] != nil)
            } else {
                #expect(after.keys.contains { $0.hasPrefix("gusp_database_server_connections{") })
            }
        }
    }

    @Test("the Grafana dashboard reads only metrics that /metrics exports", arguments: TestDatabases.engines)
    func dashboard(engine: Engine) async throws {
        let url = Repository.root.appendingPathComponent("docs/grafana-dashboard.json")
        let dashboard = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let expressions = (dashboard["panels"] as! [[String: Any]]).flatMap { ($0["targets"] as! [[String: Any]]).map { $0["expr"] as! String } }
        let names = Set(
            expressions.flatMap { expression in
                expression.matches(of: /gusp_[a-z0-9_]+/).map { String($0.output) }
            })
        #expect(names.count >= 15)
        try await TestApp.run(engine) { api in
            _ = try await api.call(.get, "/v1/me", as: .admin)
            let text = try await api.call(.get, "/metrics").text
            let exported = Set(text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { String($0.split(separator: " ")[2]) })
            // Each engine exports its own connection figures.
            let otherEngine: Set<String> =
                engine == .sqlite
                ? ["gusp_database_server_connections"]
                : ["gusp_database_connections_in_use", "gusp_database_connections_capacity", "gusp_sqlite_wal_bytes"]
            for name in names.subtracting(otherEngine) {
                let base = ["_bucket", "_sum", "_count"].reduce(name) { $0.hasSuffix($1) ? String($0.dropLast($1.count)) : $0 }
                #expect(exported.contains(name) || exported.contains(base), "\(name) is not exported")
            }
        }
    }
}

private struct TestFailure: Error {}

/// Counts a worker's steps across its task.
private final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func next() -> Int {
        lock.withLock {
            count += 1
            return count
        }
    }
}
