import Foundation
import Prometheus

/// Request counts and durations, per method, route template and status, in Prometheus form.
/// Each application has its own registry (no process-wide state, so tests stay independent).
struct HTTPMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    private static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
    ]

    private static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "gusp", subsystem: "http", metricName: "requests", unitName: "total", helpText: "HTTP requests answered")
    }
    private static var durations: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "gusp", subsystem: "http", metricName: "request_duration", unitName: "seconds",
            helpText: "Time to answer an HTTP request")
    }

    func record(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: Self.requests, labels: [("method", method), ("route", route), ("status", String(status))])
            .increment()
        registry.makeDurationHistogram(descriptor: Self.durations, labels: [("method", method), ("route", route)], buckets: Self.buckets)
            .record(duration)
    }

    /// The exposition text for `GET /metrics`.
    func render() -> String {
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
