import Foundation
import Testing
import XinyuClient
import XinyuCoreAPI
import XinyuFixtureAPI
import XinyuRPC
import XinyuWire

/// A plugin that stops answering (here: SIGSTOP) is found by the host's pings, shown degraded,
/// failed fast while so, and killed and restarted when it stays so; one that answers again in
/// time is ready again. The keepalive is set long (10 s, so 30 s before it would drop the
/// connection) so that only the hang detection acts.
@Suite("A hung plugin is found", .serialized)
struct HungPluginTests {
    func echo(_ client: XinyuClient, timeout: Duration = .seconds(10)) async throws -> Xinyu_Fixture_V1_EchoReply {
        var request = Xinyu_Fixture_V1_EchoRequest()
        request.text = "你好"
        return try await client.call("xinyu.fixture.v1.Probe/Echo", request, as: Xinyu_Fixture_V1_EchoReply.self, options: CallOptions(timeout: timeout))
    }

    func health(_ host: RunningHost) async throws -> Xinyu_Host_V1_HealthResponse {
        try await host.client().closing { client in
            try await client.call("xinyu.host.v1.Host/Health", Xinyu_Host_V1_HealthRequest(), as: Xinyu_Host_V1_HealthResponse.self)
        }
    }

    func probe(_ host: RunningHost) async throws -> Xinyu_Host_V1_PluginStatus {
        try #require(try await host.hostStatus().plugins.first { $0.name == "probe" })
    }

    /// Expects `call` to fail UNAVAILABLE naming the unresponsive plugin, well before its 10 s deadline.
    func expectFailsFast(_ call: () async throws -> Xinyu_Fixture_V1_EchoReply) async {
        let started = ContinuousClock.now
        do {
            _ = try await call()
            Issue.record("a call to the stopped plugin succeeded")
        } catch let error as RPCError {
            #expect(error.code == .unavailable, "\(error.code): \(error.message)")
            #expect(error.message.contains("plugin 'probe' is not answering"), "\(error.message)")
            #expect(error.message.contains("retry in"), "\(error.message)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(3), "the call waited instead of failing fast")
    }

    @Test("SIGSTOP: degraded in Status and Health, calls answer UNAVAILABLE at once, then killed, restarted and serving")
    func hungPluginIsRestarted() async throws {
        let host = try await RunningHost(plugins: ["probe"], extraConfig: """
            liveness_interval_ms = 200
            liveness_timeout_ms = 400
            hung_restart_ms = 3000
            """, keepaliveMs: 10_000)
        let client = try await host.client()
        let before = try await echo(client)
        try await stopProcess(before.pid)
        defer { kill(before.pid, SIGCONT) }

        try await waitUntil("probe degraded", timeout: .seconds(10)) { (try? await self.probe(host))?.state == "degraded" }
        let status = try await probe(host)
        #expect(status.pid == before.pid)
        #expect(status.unresponsiveMs > 0)
        let whileStopped = try await health(host)
        #expect(whileStopped.status == "degraded")
        #expect(whileStopped.notReady.contains { $0.hasPrefix("probe: degraded (not answering for") }, "\(whileStopped.notReady)")
        await expectFailsFast { try await echo(client) }

        // Unresponsive for hung_restart_ms: killed and started again, through the restart path.
        try await waitUntil("probe restarted and ready", timeout: .seconds(20)) {
            guard let status = try? await self.probe(host) else { return false }
            return status.state == "ready" && status.pid != before.pid && status.restarts >= 1
        }
        let after = try await echo(client)
        #expect(after.text == "你好")
        #expect(after.pid != before.pid)
        #expect(kill(before.pid, 0) != 0, "the hung process is still there")
        #expect(host.log.contains("plugin hung; killing it"), "the host log does not say why it killed the plugin")
        #expect(try await health(host).status == "serving")
        _ = try await host.stop()
    }

    @Test("SIGCONT before hung_restart_ms: ready again, same process, not restarted; a timed-out call made the host look")
    func answeringAgainRecovers() async throws {
        // Pings every 60 s: only the call that times out makes the host ping it soon.
        let host = try await RunningHost(plugins: ["probe"], extraConfig: """
            liveness_interval_ms = 60000
            liveness_timeout_ms = 300
            hung_restart_ms = 60000
            """, keepaliveMs: 10_000)
        let client = try await host.client()
        let before = try await echo(client)
        try await stopProcess(before.pid)
        defer { kill(before.pid, SIGCONT) }

        do {
            _ = try await echo(client, timeout: .milliseconds(300))
            Issue.record("a call to the stopped plugin succeeded")
        } catch let error as RPCError {
            #expect(error.code == .deadlineExceeded, "\(error.code): \(error.message)")
        }
        try await waitUntil("probe degraded", timeout: .seconds(10)) { (try? await self.probe(host))?.state == "degraded" }
        await expectFailsFast { try await echo(client) }

        kill(before.pid, SIGCONT)
        try await waitUntil("probe ready again", timeout: .seconds(10)) { (try? await self.probe(host))?.state == "ready" }
        let status = try await probe(host)
        #expect(status.pid == before.pid)
        #expect(status.restarts == 0)
        #expect(status.unresponsiveMs == 0)
        #expect(try await echo(client).pid == before.pid)
        #expect(try await health(host).status == "serving")
        _ = try await host.stop()
    }
}
