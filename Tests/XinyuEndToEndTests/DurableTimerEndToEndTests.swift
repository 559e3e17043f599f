import Foundation
import Testing
import XinyuClient
import XinyuFixtureAPI
import XinyuWire

/// Durable timers in a real plugin process: the runtime's timer loop fires them, and a timer
/// outlives a crash of the plugin that scheduled it (Probe/Remind, Probe/ListReminders).
@Suite("Durable timers end to end")
struct DurableTimerEndToEndTests {
    func remind(_ client: XinyuClient, _ note: String, inMs: Int32) async throws {
        var request = Xinyu_Fixture_V1_RemindRequest()
        request.note = note
        request.inMs = inMs
        _ = try await client.call("xinyu.fixture.v1.Probe/Remind", request, as: Xinyu_Fixture_V1_RemindReply.self)
    }

    func notes(_ client: XinyuClient) async -> [String]? {
        try? await client.call("xinyu.fixture.v1.Probe/ListReminders", Xinyu_Fixture_V1_ListRemindersRequest(), as: Xinyu_Fixture_V1_ListRemindersReply.self).notes
    }

    @Test("the plugin's timer loop fires a timer at its time, once")
    func firesInTheRunningPlugin() async throws {
        let host = try await RunningHost(plugins: ["probe"])
        let client = try await host.client()
        try await remind(client, "soon", inMs: 200)
        try await waitUntil("the reminder fired", timeout: .seconds(20)) { await notes(client) == ["soon"] }
        await client.close()
        _ = try await host.stop()
    }

    @Test("a timer scheduled before the plugin crashed fires after its restart")
    func survivesACrash() async throws {
        let host = try await RunningHost(plugins: ["probe"])
        let client = try await host.client()
        try await remind(client, "after the crash", inMs: 1_500)
        let pid = try #require(try await host.pluginStatus()["probe"]?.pid)
        kill(pid, SIGKILL)
        try await waitUntil("probe restarted", timeout: .seconds(20)) {
            guard let probe = try? await host.pluginStatus()["probe"] else { return false }
            return probe.restarts == 1 && probe.state == "ready"
        }
        try await waitUntil("the reminder fired", timeout: .seconds(20)) { await notes(client) == ["after the crash"] }
        await client.close()
        _ = try await host.stop()
    }
}
