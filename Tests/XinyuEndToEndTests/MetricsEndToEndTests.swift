import Foundation
import Testing
import XinyuClient
import XinyuCoreAPI
import XinyuFixtureAPI

/// The metrics endpoint of a real host process, scraped over real HTTP (issue 17).
@Suite("Metrics and health over HTTP, from a real host")
struct MetricsEndToEndTests {
    static let metricsOn = "[metrics]\nenabled = true\nlisten = \"127.0.0.1:0\"\n"

    @Test("/metrics has calls by method and code, latency, plugins, outbox, timers, sizes, disk and audit; /healthz and /readyz answer 200")
    func scrape() async throws {
        let host = try await RunningHost(plugins: ["probe", "tally"], sections: Self.metricsOn)
        let port = try #require(host.metricsPort, "no metrics port in the ready line: \(host.stdout)")
        try await host.client().closing { client in
            for _ in 0..<3 { _ = try await client.call("xinyu.host.v1.Host/Health", Xinyu_Host_V1_HealthRequest(), as: Xinyu_Host_V1_HealthResponse.self) }
            var echo = Xinyu_Fixture_V1_EchoRequest()
            echo.text = "你好"
            _ = try await client.call("xinyu.fixture.v1.Probe/Echo", echo, as: Xinyu_Fixture_V1_EchoReply.self)
            await #expect(throws: (any Error).self) {
                _ = try await client.call("xinyu.nothing.v1.Nothing/Made-Up-\(UUID())", Xinyu_Host_V1_HealthRequest(), as: Xinyu_Host_V1_HealthResponse.self)
            }
        }
        let page = try await PlainSockets.get(port: port, path: "/metrics")
        #expect(page.status == 200)
        #expect(page.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = page.body
        #expect(text.contains(#"xinyu_calls_total{code="OK",method="xinyu.host.v1.Host/Health"} 3"#), "\(text)")
        #expect(text.contains(#"xinyu_calls_total{code="OK",method="xinyu.fixture.v1.Probe/Echo"} 1"#))
        // A made-up method is counted, but under "other": callers cannot grow the label set.
        #expect(text.contains(#"xinyu_calls_total{code="UNIMPLEMENTED",method="other"} 1"#))
        #expect(!text.contains("Made-Up"))
        #expect(text.contains(#"xinyu_call_duration_seconds_bucket{method="xinyu.host.v1.Host/Health",le="0.05"}"#))
        #expect(text.contains(#"xinyu_call_duration_seconds_count{method="xinyu.host.v1.Host/Health"} 3"#))
        #expect(text.contains(#"xinyu_plugin_up{plugin="probe"} 1"#))
        #expect(text.contains(#"xinyu_plugin_state{plugin="tally",state="ready"} 1"#))
        #expect(text.contains(#"xinyu_plugin_restarts{plugin="probe"} 0"#))
        #expect(text.contains(#"xinyu_outbox_backlog_events{subscriber="tally"}"#))
        #expect(text.contains(#"xinyu_outbox_oldest_age_seconds{subscriber="tally"}"#))
        for gauge in ["xinyu_calls_in_flight", "xinyu_timers_due", "xinyu_audit_backlog_entries", "xinyu_client_connections"] {
            #expect(text.contains("\n\(gauge) "), "missing \(gauge)")
        }
        for positive in ["xinyu_database_bytes", "xinyu_database_wal_bytes", "xinyu_disk_free_bytes", "xinyu_audit_database_bytes"] {
            let value = Self.value(of: positive, in: text)
            #expect((value ?? 0) > 0, "\(positive) = \(String(describing: value))")
        }
        let health = try await PlainSockets.get(port: port, path: "/healthz")
        #expect(health.status == 200 && health.body == "ok\n")
        let ready = try await PlainSockets.get(port: port, path: "/readyz")
        #expect(ready.status == 200 && ready.body == "ready\n")
        #expect(try await PlainSockets.get(port: port, path: "/nothing").status == 404)
        #expect(try await PlainSockets.get(port: port, path: "/metrics", method: "POST").status == 405)
    }

    @Test("/readyz answers 503 naming the plugin while it is hung, and 200 again once it answers; /healthz stays 200")
    func readiness() async throws {
        // SIGSTOP makes the plugin degraded (not answering pings) for as long as the test wants,
        // without a sleep and without a restart racing the check.
        let host = try await RunningHost(plugins: ["probe"], extraConfig: """
            liveness_interval_ms = 100
            liveness_timeout_ms = 300
            hung_restart_ms = 0
            """, sections: Self.metricsOn, keepaliveMs: 10_000)
        let port = try #require(host.metricsPort)
        #expect(try await PlainSockets.get(port: port, path: "/readyz").status == 200)
        let pid = try #require(try await host.pluginStatus()["probe"]?.pid)
        try await stopProcess(pid)
        defer { kill(pid, SIGCONT) }
        try await waitUntil("/readyz 503", timeout: .seconds(10)) { (try? await PlainSockets.get(port: port, path: "/readyz").status) == 503 }
        let down = try await PlainSockets.get(port: port, path: "/readyz")
        #expect(down.body == "not ready\nplugin probe: degraded\n", "\(down.body)")
        #expect(try await PlainSockets.get(port: port, path: "/healthz").status == 200)
        let metrics = try await PlainSockets.get(port: port, path: "/metrics").body
        #expect(metrics.contains(#"xinyu_plugin_state{plugin="probe",state="degraded"} 1"#) && metrics.contains(#"xinyu_plugin_up{plugin="probe"} 0"#), "\(metrics)")
        kill(pid, SIGCONT)
        try await waitUntil("/readyz 200 again", timeout: .seconds(20)) { (try? await PlainSockets.get(port: port, path: "/readyz").status) == 200 }
    }

    /// The value of an unlabelled sample.
    static func value(of name: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1))
        }
        return nil
    }
}
