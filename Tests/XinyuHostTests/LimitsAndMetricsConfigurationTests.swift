import Testing
@testable import XinyuHost

@Suite("[metrics] and [limits]: read, checked, with errors naming the key")
struct LimitsAndMetricsConfigurationTests {
    @Test("built-in defaults: metrics off, no rate limit; the sections set every key")
    func values() throws {
        let defaults = try HostConfiguration.parse("", source: "x.toml")
        #expect(!defaults.metrics.enabled && defaults.metrics.endpoint == nil)
        #expect(defaults.limits.callsPerSecond == 0 && defaults.limits.maxConnections == 1000 && defaults.limits.handshakeTimeoutMs == 10_000)
        let set = try HostConfiguration.parse("""
            [metrics]
            enabled = true
            listen = "0.0.0.0:9100"
            allow_remote = true
            [limits]
            max_connections = 7
            handshake_timeout_ms = 500
            idle_timeout_ms = 0
            calls_per_second = 2.5
            burst = 9
            max_request_bytes_in_flight = 2048
            max_unread_answer_bytes = 1048576
            """, source: "x.toml")
        #expect(set.metrics.endpoint == TCPEndpoint("0.0.0.0:9100"))
        #expect(set.limits == {
            var l = LimitSettings()
            l.maxConnections = 7; l.handshakeTimeoutMs = 500; l.idleTimeoutMs = 0; l.callsPerSecond = 2.5; l.burst = 9; l.maxRequestBytesInFlight = 2048
            l.maxUnreadAnswerBytes = 1 << 20
            return l
        }())
    }

    @Test("the shipped Config/xinyu.toml turns metrics on, on loopback")
    func shipped() throws {
        let path = #filePath.components(separatedBy: "/Tests/")[0] + "/Config/xinyu.toml"
        let shipped = try HostConfiguration.load(path: path)
        #expect(shipped.metrics.endpoint == TCPEndpoint("127.0.0.1:9464"))
        #expect(shipped.limits.callsPerSecond == 200 && shipped.limits.burst == 400)
    }

    @Test("bad values name the key and the problem", arguments: [
        ("[metrics]\nenabled = true\nlisten = \"0.0.0.0:9464\"\n", "x.toml: metrics.listen: '0.0.0.0:9464' is not a loopback address; metrics are served without TLS or login, so set metrics.allow_remote = true"),
        ("[metrics]\nlisten = \"9464\"\n", "x.toml: metrics.listen: '9464' is not HOST:PORT"),
        ("[metrics]\nport = 9464\n", "x.toml: metrics.port: unknown key (known: allow_remote, enabled, listen)"),
        ("[metrics]\nenabled = \"yes\"\n", "x.toml: metrics.enabled: must be true or false"),
        ("[limits]\nmax_connections = 0\n", "x.toml: limits.max_connections: 0 is outside 1…1000000"),
        ("[limits]\nmax_unread_answer_bytes = 1000\n", "x.toml: limits.max_unread_answer_bytes: 1000 is outside 65536…17179869184"),
        ("[limits]\nidle_timeout_ms = 200\n", "x.toml: limits.idle_timeout_ms: 200 is too short"),
        ("[limits]\nhandshake_timeout_ms = 5\n", "x.toml: limits.handshake_timeout_ms: 5 is outside 100…600000"),
        ("[limits]\ncalls_per_second = -1\n", "x.toml: limits.calls_per_second: -1"),
        ("[limits]\nmax_request_bytes_in_flight = 10\n", "x.toml: limits.max_request_bytes_in_flight: 10 is outside 1024…"),
        ("[limits]\nburst = 0\n", "x.toml: limits.burst: 0 is outside 1…1000000"),
    ])
    func errors(text: String, expected: String) {
        do {
            _ = try HostConfiguration.parse(text, source: "x.toml")
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error)".hasPrefix(expected), "\(error)")
        }
    }
}

@Suite("Per-principal rate limit: a token bucket per principal")
struct PrincipalRateLimiterTests {
    final class FakeClock: @unchecked Sendable {
        // @unchecked: each test drives its clock from its one task only.
        var nanoseconds: UInt64 = 1_000_000_000
    }

    @Test("a burst goes through, the next call waits 1/rate, refill lets calls in again, principals are apart")
    func bucket() throws {
        let clock = FakeClock()
        let now: @Sendable () -> UInt64 = { clock.nanoseconds }
        let made = PrincipalRateLimiter(callsPerSecond: 4, burst: 3, clock: now)
        let limiter = try #require(made)
        for _ in 0..<3 { #expect(limiter.take("a") == nil) }
        let wait = try #require(limiter.take("a"))
        #expect(wait == .milliseconds(250))
        #expect(limiter.take("b") == nil, "another principal has its own bucket")
        clock.nanoseconds += 250_000_000
        #expect(limiter.take("a") == nil)
        #expect(limiter.take("a") != nil)
        let refusal = limiter.refusal(for: "a", wait: .milliseconds(250))
        #expect(refusal.retryAfterMs == 250)
        #expect(refusal.message == "rate limit: a may start 4 calls per second (bursts of 3); retry after 250 ms")
    }

    @Test("rate 0 means no limiter")
    func off() {
        #expect(PrincipalRateLimiter(callsPerSecond: 0, burst: 10) == nil)
    }
}
