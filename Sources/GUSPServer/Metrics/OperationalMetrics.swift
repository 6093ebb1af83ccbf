import Foundation
import GUSPCore
import GUSPDatabase

/// The operational part of `/metrics` (Prometheus text format 0.0.4): what waits in the database
/// (read at each scrape, the same on every instance), and what this process measured of its workers,
/// its group commit and its connections. docs/grafana-dashboard.json is built from these names only.
enum OperationalMetrics {
    static func render(_ store: Store) async throws -> String {
        var text = ""
        let backlogs = try await store.operationalBacklogs()
        gauge(&text, "gusp_outbox_pending", "Outbox events not yet turned into webhook deliveries.", [("", backlogs.outboxPending)])
        gauge(
            &text, "gusp_webhook_deliveries", "Webhook deliveries not delivered, by status.",
            ["pending", "failed"].map { ("status=\"\($0)\"", backlogs.deliveries[$0] ?? 0) })
        gauge(&text, "gusp_webhook_deliveries_due", "Pending webhook deliveries whose next attempt is due.", [("", backlogs.deliveriesDue)])
        gauge(
            &text, "gusp_escalations_open", "Escalations not acknowledged, by level.",
            (1...3).map { ("level=\"\($0)\"", backlogs.escalationsOpen[$0] ?? 0) })
        gauge(&text, "gusp_escalations_due", "Escalations not acknowledged and past their due time.", [("", backlogs.escalationsDue)])
        gauge(
            &text, "gusp_notifications", "Messages to residents not sent, by status (pending, failed, bounced, suppressed).",
            NotificationStatus.allCases.filter { $0 != .sent }.map { ("status=\"\($0.rawValue)\"", backlogs.notifications[$0.rawValue] ?? 0) })
        if !backlogs.serverConnections.isEmpty {
            gauge(
                &text, "gusp_database_server_connections", "Connections to this PostgreSQL database, every instance's, by state.",
                backlogs.serverConnections.sorted { $0.key < $1.key }.map { ("state=\"\(label($0.key))\"", $0.value) })
        }
        if let sqlite = store.database as? SQLiteEngine {
            let connections = sqlite.connections
            gauge(
                &text, "gusp_database_connections_in_use", "Connections of this process lent now, by pool.",
                [("pool=\"sqlite_readers\"", connections.readersInUse), ("pool=\"sqlite_writer\"", connections.writerInUse)])
            gauge(
                &text, "gusp_database_connections_capacity", "Connections of this process, by pool.",
                [("pool=\"sqlite_readers\"", connections.readers), ("pool=\"sqlite_writer\"", 1)])
            gauge(&text, "gusp_sqlite_wal_bytes", "Size of the SQLite write-ahead log.", [("", Int(sqlite.walBytes))])
        }
        let statistics = RuntimeStatistics.shared.snapshot()
        let workers = statistics.workers.sorted { $0.key < $1.key }
        text += "# HELP gusp_worker_steps_total Steps of this process's background workers, by outcome.\n# TYPE gusp_worker_steps_total counter\n"
        for (name, worker) in workers {
            text += "gusp_worker_steps_total{worker=\"\(label(name))\",outcome=\"succeeded\"} \(worker.succeeded)\n"
            text += "gusp_worker_steps_total{worker=\"\(label(name))\",outcome=\"failed\"} \(worker.failed)\n"
        }
        text += "# HELP gusp_worker_step_duration_seconds How long a worker's step took.\n# TYPE gusp_worker_step_duration_seconds histogram\n"
        for (name, worker) in workers { histogram(&text, "gusp_worker_step_duration_seconds", "worker=\"\(label(name))\"", worker.steps) }
        text += "# HELP gusp_worker_last_success_timestamp_seconds When a worker's last step succeeded (Unix time).\n"
        text += "# TYPE gusp_worker_last_success_timestamp_seconds gauge\n"
        for (name, worker) in workers {
            if let last = worker.lastSuccess { text += "gusp_worker_last_success_timestamp_seconds{worker=\"\(label(name))\"} \(last)\n" }
        }
        text += "# HELP gusp_group_commit_batch_size Commands written together by one group commit.\n"
        text += "# TYPE gusp_group_commit_batch_size histogram\n"
        histogram(&text, "gusp_group_commit_batch_size", "", statistics.batchSizes)
        text += "# HELP gusp_group_commit_wait_seconds How long a command waited for its batch to commit.\n"
        text += "# TYPE gusp_group_commit_wait_seconds histogram\n"
        histogram(&text, "gusp_group_commit_wait_seconds", "", statistics.waits)
        return text
    }

    private static func gauge(_ text: inout String, _ name: String, _ help: String, _ samples: [(String, Int)]) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
        for (labels, value) in samples { text += labels.isEmpty ? "\(name) \(value)\n" : "\(name){\(labels)} \(value)\n" }
    }

    private static func histogram(_ text: inout String, _ name: String, _ labels: String, _ histogram: RuntimeStatistics.Histogram) {
        let prefix = labels.isEmpty ? "" : labels + ","
        for (bound, count) in zip(histogram.bounds, histogram.counts) {
            text += "\(name)_bucket{\(prefix)le=\"\(bound)\"} \(count)\n"
        }
        text += "\(name)_bucket{\(prefix)le=\"+Inf\"} \(histogram.count)\n"
        let suffix = labels.isEmpty ? "" : "{\(labels)}"
        text += "\(name)_sum\(suffix) \(histogram.sum)\n\(name)_count\(suffix) \(histogram.count)\n"
    }

    /// A label value as the text format writes it (`\`, `"` and line feeds escaped).
    private static func label(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
