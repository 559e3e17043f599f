import Foundation
import Testing
import XinyuClient
import XinyuFixtureAPI
import XinyuRPC
import XinyuWire

/// `CallContext.call`: one plugin calling another through the host, with real processes.
/// Probe/CallTally calls Tally/Inspect with `context.call` and returns its answer.
@Suite("Plugin to plugin calls (context.call) end to end")
struct PluginToPluginCallTests {
    typealias Inspect = Xinyu_Fixture_V1_InspectRequest
    static let callTally = "xinyu.fixture.v1.Probe/CallTally"

    func callTally(_ client: XinyuClient, _ inspect: Inspect = Inspect(), timeoutMs: Int32 = 0, deadline: Duration? = nil) async throws -> Xinyu_Fixture_V1_InspectReply {
        var request = Xinyu_Fixture_V1_CallTallyRequest()
        request.inspect = inspect
        request.timeoutMs = timeoutMs
        return try await client.call(Self.callTally, request, as: Xinyu_Fixture_V1_CallTallyReply.self, options: CallOptions(timeout: deadline)).answer
    }

    @Test("the call succeeds as the calling plugin, on behalf of its caller, with the remaining deadline passed on")
    func succeedsAsThePlugin() async throws {
        let host = try await RunningHost()
        let client = try await host.client()
        // The tester may not call Tally/Inspect itself: the host checks the caller's permissions.
        let direct = await expectFailure(.permissionDenied) {
            try await client.call("xinyu.fixture.v1.Tally/Inspect", Inspect(), as: Xinyu_Fixture_V1_InspectReply.self)
        }
        #expect(direct?.message.contains("tally.inspect") == true)
        // Through the probe it is the probe plugin that calls, and its permissions that are checked.
        let answer = try await callTally(client, deadline: .seconds(20))
        #expect(answer.caller == "plugin:probe" && answer.callerKind == "plugin")
        #expect(answer.onBehalfOf == "e2e:tester")
        #expect(answer.deadlineRemainingMs > 0 && answer.deadlineRemainingMs <= 20_000, "\(answer.deadlineRemainingMs) ms left")
        // context.call's own, shorter timeout wins over the caller's deadline.
        let short = try await callTally(client, timeoutMs: 3_000, deadline: .seconds(20))
        #expect(short.deadlineRemainingMs > 0 && short.deadlineRemainingMs <= 3_000, "\(short.deadlineRemainingMs) ms left")
        // No deadline anywhere: none is invented.
        let open = try await callTally(client)
        #expect(open.deadlineRemainingMs == -1)
        await client.close()
        _ = try await host.stop()
    }

    @Test("an error from the called plugin arrives as its status code and message")
    func calleeErrorPassesThrough() async throws {
        let host = try await RunningHost()
        let client = try await host.client()
        var failing = Inspect()
        failing.failCode = Int32(StatusCode.resourceExhausted.rawValue)
        failing.failMessage = "tally is full; retry in 1 s"
        let error = await expectFailure(.resourceExhausted) { try await callTally(client, failing) }
        #expect(error?.message == "tally is full; retry in 1 s")
        var invalid = Inspect()
        invalid.failCode = Int32(StatusCode.invalidArgument.rawValue)
        invalid.failMessage = "field visit_id: is required"
        let invalidError = await expectFailure(.invalidArgument) { try await callTally(client, invalid) }
        #expect(invalidError?.message == "field visit_id: is required")
        await client.close()
        _ = try await host.stop()
    }

    @Test("a call to a plugin this host does not run fails with UNIMPLEMENTED naming the method")
    func calleeNotEnabled() async throws {
        let host = try await RunningHost(plugins: ["probe"])
        let client = try await host.client()
        let error = await expectFailure(.unimplemented) { try await callTally(client) }
        #expect(error?.message.contains("xinyu.fixture.v1.Tally/Inspect") == true, "\(error?.message ?? "")")
        await client.close()
        _ = try await host.stop()
    }
}
