import Foundation
import Testing
import XinyuClient
import XinyuCoreAPI
import XinyuFixtureAPI
import XinyuRPC
import XinyuWire

/// `[limits]` on a real host: each limit answers with an error a client can act on (issue 17).
@Suite("Limits: connections, slow handshakes, idle connections, rate, request bytes")
struct LimitsEndToEndTests {
    @Test("one connection over limits.max_connections is refused RESOURCE_EXHAUSTED in the handshake; a freed slot lets the next one in")
    func maxConnections() async throws {
        let host = try await RunningHost(plugins: ["probe"], sections: "[limits]\nmax_connections = 2\n")
        let first = try await host.client()
        let second = try await host.client()
        do {
            _ = try await host.client()
            Issue.record("a third connection was let in")
        } catch {
            let text = "\(error)"
            #expect(text.contains("RESOURCE_EXHAUSTED") && text.contains("at most 2 client connections"), "\(text)")
        }
        await first.close()
        // The slot frees when the host sees the close; then a new connection is served.
        try await waitUntil("a connection accepted again", timeout: .seconds(10)) {
            guard let client = try? await host.client() else { return false }
            await client.close()
            return true
        }
        _ = try await second.call("xinyu.host.v1.Host/Health", Xinyu_Host_V1_HealthRequest(), as: Xinyu_Host_V1_HealthResponse.self)
        await second.close()
    }

    @Test("a client trickling its hello a byte at a time is dropped at limits.handshake_timeout_ms with DEADLINE_EXCEEDED")
    func slowHandshake() async throws {
        let host = try await RunningHost(plugins: [], sections: "[limits]\nhandshake_timeout_ms = 600\n")
        let socketPath = host.socketPath
        // Blocking socket work, on a thread of its own (PlainSockets.offPool).
        let (dropped, elapsed, answer) = try await PlainSockets.offPool { () throws -> (Bool, Duration, [UInt8]) in
            let fd = try PlainSockets.connectUnix(socketPath)
            defer { close(fd) }
            // A frame header announcing a 200-byte hello, then one body byte every 50 ms: always
            // sending, never finishing.
            let started = ContinuousClock.now
            try PlainSockets.write(fd, [0, 0, 0, 0, 200])
            var dropped = false
            for _ in 0..<200 {
                do {
                    try PlainSockets.write(fd, [0x0A])
                } catch {
                    dropped = true
                    break
                }
                var poll = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if Glibc.poll(&poll, 1, 50) > 0 { dropped = true; break }
            }
            let elapsed = ContinuousClock.now - started
            // The host said why before closing: an error frame with DEADLINE_EXCEEDED.
            PlainSockets.setReceiveTimeout(fd, seconds: 5)
            return (dropped, elapsed, PlainSockets.readToEnd(fd))
        }
        #expect(dropped, "the trickling client was never dropped")
        #expect(elapsed >= .milliseconds(500) && elapsed < .seconds(8), "dropped after \(elapsed)")
        #expect(String(decoding: answer, as: UTF8.self).contains("handshake not completed within 600 ms"), "\(answer)")
    }

    @Test("a connection with no call for limits.idle_timeout_ms is sent go_away and closed; one in use stays open")
    func idleTimeout() async throws {
        // Keepalive pings every second: they must not count as use.
        let host = try await RunningHost(plugins: ["probe"], sections: "[limits]\nidle_timeout_ms = 1500\n", keepaliveMs: 1000)
        let idle = try await host.client()
        let busy = try await host.client()
        // The busy client has a call in flight the whole time (held 4 s at the plugin): in use,
        // however slowly a loaded machine runs the test.
        var slow = Xinyu_Fixture_V1_EchoRequest()
        slow.text = "忙"
        slow.delayMs = 4000
        async let held = busy.call("xinyu.fixture.v1.Probe/Echo", slow, as: Xinyu_Fixture_V1_EchoReply.self)
        try await waitUntil("the idle connection closed", timeout: .seconds(10)) { !idle.connection.channel.isActive }
        #expect(try await held.text == "忙")
        #expect(busy.connection.channel.isActive, "a connection in use was closed as idle")
        _ = try await busy.call("xinyu.host.v1.Host/Health", Xinyu_Host_V1_HealthRequest(), as: Xinyu_Host_V1_HealthResponse.self)
        await busy.close()
    }

    @Test("over limits.calls_per_second a principal's calls answer RESOURCE_EXHAUSTED with xinyu-retry-after-ms; another principal is not slowed")
    func rateLimit() async throws {
        let host = try await RunningHost(plugins: [], sections: "[limits]\ncalls_per_second = 2\nburst = 5\n")
        let client = try await host.client()
        var refusal: RPCError?
        for _ in 0..<20 {
            do {
                _ = try await client.call("xinyu.host.v1.Host/Health", Xinyu_Host_V1_HealthRequest(), as: Xinyu_Host_V1_HealthResponse.self)
            } catch let error as RPCError {
                refusal = error
                break
            }
        }
        let error = try #require(refusal, "20 calls at once were never limited")
        #expect(error.code == .resourceExhausted)
        #expect(error.message.contains("rate limit: e2e:tester may start 2 calls per second (bursts of 5); retry after"), "\(error.message)")
        let hint = error.metadata.first { $0.key == "xinyu-retry-after-ms" }?.value ?? ""
        let retry = try #require(Int(hint), "no xinyu-retry-after-ms trailer: \(error.metadata)")
        #expect(retry > 0 && retry <= 500, "retry after \(retry) ms")
        // The hint is honest: after waiting it out, a call goes through.
        try await Task.sleep(for: .milliseconds(retry + 20))
        _ = try await client.call("xinyu.host.v1.Host/Health", Xinyu_Host_V1_HealthRequest(), as: Xinyu_Host_V1_HealthResponse.self)
        await client.close()
        // The operator is another principal, with a bucket of its own.
        try await host.operatorClient().closing { op in
            _ = try await op.call("xinyu.host.v1.Host/Health", Xinyu_Host_V1_HealthRequest(), as: Xinyu_Host_V1_HealthResponse.self)
        }
    }

    @Test("a call that would take a connection over limits.max_request_bytes_in_flight answers RESOURCE_EXHAUSTED; the connection stays usable")
    func requestBytesInFlight() async throws {
        let host = try await RunningHost(plugins: ["probe"], sections: "[limits]\nmax_request_bytes_in_flight = 4096\n")
        let client = try await host.client()
        var slow = Xinyu_Fixture_V1_EchoRequest()
        slow.text = String(repeating: "慢", count: 1000)  // 3,000 bytes of UTF-8, held 5 s at the plugin
        slow.delayMs = 5000
        async let held = client.call("xinyu.fixture.v1.Probe/Echo", slow, as: Xinyu_Fixture_V1_EchoReply.self)
        try await host.waitForCallsInFlight("probe")
        var big = Xinyu_Fixture_V1_EchoRequest()
        big.text = String(repeating: "x", count: 2000)
        do {
            _ = try await client.call("xinyu.fixture.v1.Probe/Echo", big, as: Xinyu_Fixture_V1_EchoReply.self)
            Issue.record("a call over the connection's request bytes was served")
        } catch let error as RPCError {
            #expect(error.code == .resourceExhausted)
            #expect(error.message.contains("too many request bytes in flight on this connection") && error.message.contains("limit 4096"), "\(error.message)")
        }
        #expect(try await held.text == slow.text)
        // Once the first call is answered its bytes are free again.
        #expect(try await client.call("xinyu.fixture.v1.Probe/Echo", big, as: Xinyu_Fixture_V1_EchoReply.self).text == big.text)
        await client.close()
    }
}
