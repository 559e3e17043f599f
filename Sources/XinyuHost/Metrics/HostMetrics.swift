import CoreMetrics
import Foundation
import NIOConcurrencyHelpers
import Prometheus
import XinyuWire

/// The host's metrics, kept in a Prometheus registry of its own (not the process-wide
/// `MetricsSystem`, so that two hosts in one process, as in tests, never mix their figures).
///
/// Events (calls, refusals) are counted through swift-metrics' `Counter` and `Timer` made by a
/// `PrometheusMetricsFactory` over that registry; figures that are a state rather than an event
/// (plugins, outbox, disk) are read when scraped (``MetricsSampler``) and set as gauges.
final class HostMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    /// Instruments already made, by name and labels: the registry would hand back the same one,
    /// but a dictionary look-up under one lock is cheaper than its checks on every call.
    private let counters = NIOLockedValueBox<[String: CoreMetrics.Counter]>([:])
    private let timers = NIOLockedValueBox<[String: CoreMetrics.Timer]>([:])
    private let gauges = NIOLockedValueBox<[String: CoreMetrics.Gauge]>([:])

    /// Latency buckets from 1 ms to 30 s: Health answers in well under 1 ms, a 10,000-row
    /// import takes seconds.
    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
    ]

    init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.latencyBuckets
        self.factory = factory
    }

    // MARK: Events

    /// One call ended: counted by method and status code, its latency put in the histogram.
    /// `method` must come from a bounded set (the routed methods, or "other"): a label per
    /// made-up method name would let any client grow the registry without end.
    func callEnded(method: String, code: StatusCode, duration: Duration) {
        counter("xinyu_calls_total", ["method": method, "code": code.name]).increment()
        timer("xinyu_call_duration_seconds", ["method": method]).recordNanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// A connection was refused for the connection limit.
    func connectionRefused() { counter("xinyu_connections_refused_total", [:]).increment() }

    /// A call was refused for the principal's rate limit.
    func rateLimited() { counter("xinyu_calls_rate_limited_total", [:]).increment() }

    /// A call was refused because its connection holds too many request bytes.
    func requestBytesRefused() { counter("xinyu_calls_refused_request_bytes_total", [:]).increment() }

    // MARK: Gauges

    /// Sets a gauge (a figure read at scrape time).
    func set(_ name: String, _ labels: [String: String], _ value: Double) {
        gauge(name, labels).record(value)
    }

    /// Sets a gauge without labels.
    func set(_ name: String, _ value: Double) { set(name, [:], value) }

    /// The registry's text exposition (Prometheus text format 0.0.4).
    func exposition() -> String { registry.emitToString() }

    // MARK: Instruments

    private static func key(_ name: String, _ labels: [String: String]) -> String {
        name + "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + "}"
    }

    private static func dimensions(_ labels: [String: String]) -> [(String, String)] {
        labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    fileprivate func counter(_ name: String, _ labels: [String: String]) -> CoreMetrics.Counter {
        counters.withLockedValue { made in
            let key = Self.key(name, labels)
            if let counter = made[key] { return counter }
            let counter = CoreMetrics.Counter(label: name, dimensions: Self.dimensions(labels), factory: factory)
            made[key] = counter
            return counter
        }
    }

    private func timer(_ name: String, _ labels: [String: String]) -> CoreMetrics.Timer {
        timers.withLockedValue { made in
            let key = Self.key(name, labels)
            if let timer = made[key] { return timer }
            let timer = CoreMetrics.Timer(label: name, dimensions: Self.dimensions(labels), factory: factory)
            made[key] = timer
            return timer
        }
    }

    private func gauge(_ name: String, _ labels: [String: String]) -> CoreMetrics.Gauge {
        gauges.withLockedValue { made in
            let key = Self.key(name, labels)
            if let gauge = made[key] { return gauge }
            let gauge = CoreMetrics.Gauge(label: name, dimensions: Self.dimensions(labels), factory: factory)
            made[key] = gauge
            return gauge
        }
    }
}

extension HostMetrics {
    /// A sampled figure could not be read (the database was busy or broken).
    func sampleFailed() { counter("xinyu_metrics_sample_errors_total", [:]).increment() }
}
