import Foundation
import Testing
import XinyuClient
import XinyuFixtureAPI
import XinyuWire

/// While an enabled plugin starts, its methods answer UNAVAILABLE with a retry hint, never
/// UNIMPLEMENTED (which docs/PROTOCOL.md tells clients never to retry).
@Suite("Start-up: calls to a plugin that is still starting", .serialized)
struct StartupAvailabilityTests {
    func echo(_ client: XinyuClient) async throws -> String {
        var request = Xinyu_Fixture_V1_EchoRequest()
        request.text = "你好"
        return try await client.call("xinyu.fixture.v1.Probe/Echo", request, as: Xinyu_Fixture_V1_EchoReply.self).text
    }

    @Test("after a restart, a call before the plugin registers answers UNAVAILABLE naming it, then succeeds")
    func unavailableWhileStarting() async throws {
        // First run: the probe registers, and the host keeps its manifest.
        let first = try await RunningHost(plugins: ["probe"])
        #expect(try await echo(try await first.client()) == "你好")
        #expect(try await first.stop() == 0)

        // Second run on the same database: the probe takes 3 s to start.
        let host = try await RunningHost(reusing: first.directory, plugins: ["probe"], waitFor: [],
                                         environment: ["XINYU_PROBE_START_DELAY_MS": "3000"])
        let client = try await host.client()
        do {
            _ = try await echo(client)
            Issue.record("the call succeeded although the probe was still starting")
        } catch let error as RPCError {
            #expect(error.code == .unavailable, "\(error.code): \(error.message)")
            #expect(error.message.contains("plugin 'probe' is starting; retry"))
        }
        try await host.waitForPlugins(["probe"])
        #expect(try await echo(client) == "你好")
        _ = try await host.stop()
    }
}
