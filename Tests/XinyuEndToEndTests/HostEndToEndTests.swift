import Foundation
import NIOConcurrencyHelpers
import Testing
import XinyuClient
import XinyuCoreAPI
import XinyuFixtureAPI
import XinyuRPC
import XinyuWire

typealias Echo = Xinyu_Fixture_V1_EchoRequest
typealias EchoReply = Xinyu_Fixture_V1_EchoReply

func echo(_ text: String, delayMs: Int32 = 0) -> Echo {
    var r = Echo()
    r.text = text
    r.delayMs = delayMs
    return r
}

func sleepRequest(_ ms: Int32) -> Xinyu_Fixture_V1_SleepRequest {
    var r = Xinyu_Fixture_V1_SleepRequest()
    r.millis = ms
    return r
}

func visit(_ student: String) -> Xinyu_Fixture_V1_RecordVisitRequest {
    var r = Xinyu_Fixture_V1_RecordVisitRequest()
    r.studentID = student
    r.note = "家访 follow-up"
    return r
}

/// Expects a call to fail with a code; returns the error for further checks.
@discardableResult
func expectFailure<T>(_ code: StatusCode, _ body: () async throws -> T, sourceLocation: SourceLocation = #_sourceLocation) async -> RPCError? {
    do {
        _ = try await body()
        Issue.record("expected \(code.name), the call succeeded", sourceLocation: sourceLocation)
        return nil
    } catch let error as RPCError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected RPCError \(code.name), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

@Suite("Host end to end: real host, real plugin processes, real sockets", .serialized)
struct HostEndToEndTests {
    @Test("routes a call to a plugin process and back, with Chinese text intact")
    func routing() async throws {
        let host = try await RunningHost()
        let client = try await host.client()
        let reply = try await client.call("xinyu.fixture.v1.Probe/Echo", echo("你好，心育"), as: EchoReply.self)
        #expect(reply.text == "你好，心育")
        let status = try await host.pluginStatus()
        #expect(reply.pid == status["probe"]?.pid)
        #expect(reply.pid != host.process.processIdentifier)
        await client.close()
        #expect(try await host.stop() == 0)
    }

    @Test("100 concurrent calls on one connection, answered out of order")
    func concurrency() async throws {
        let host = try await RunningHost()
        let client = try await host.client()
        let replies = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for i in 0..<100 {
                group.addTask {
                    // Later calls finish first: answers arrive in any order.
                    let reply = try await client.call("xinyu.fixture.v1.Probe/Echo", echo("call \(i)", delayMs: Int32(100 - i)), as: EchoReply.self)
                    return (i, reply.text)
                }
            }
            var all: [Int: String] = [:]
            for try await (i, text) in group { all[i] = text }
            return all
        }
        #expect(replies.count == 100)
        #expect((0..<100).allSatisfy { replies[$0] == "call \($0)" })
        await client.close()
        _ = try await host.stop()
    }

    @Test("server streaming delivers every message, then the status")
    func streaming() async throws {
        let host = try await RunningHost()
        let client = try await host.client()
        var request = Xinyu_Fixture_V1_CountRequest()
        request.upto = 25
        var values: [Int32] = []
        for try await reply in try client.stream("xinyu.fixture.v1.Probe/CountTo", request, as: Xinyu_Fixture_V1_CountReply.self) {
            values.append(reply.value)
        }
        #expect(values == Array(1...25))
        request.upto = -1
        let error = await expectFailure(.invalidArgument) {
            for try await _ in try client.stream("xinyu.fixture.v1.Probe/CountTo", request, as: Xinyu_Fixture_V1_CountReply.self) {}
        }
        #expect(error?.message.contains("field upto") == true)
        await client.close()
        _ = try await host.stop()
    }

    @Test("a deadline that passes ends the call with DEADLINE_EXCEEDED, promptly")
    func deadline() async throws {
        let host = try await RunningHost()
        let client = try await host.client()
        let started = ContinuousClock.now
        await expectFailure(.deadlineExceeded) {
            try await client.call("xinyu.fixture.v1.Probe/Sleep", sleepRequest(5000), as: Xinyu_Fixture_V1_SleepReply.self, options: CallOptions(timeout: .milliseconds(300)))
        }
        #expect(ContinuousClock.now - started < .seconds(2))
        // The deadline travelled with the call to the plugin.
        let who = try await client.call("xinyu.fixture.v1.Probe/WhoAmI", Xinyu_Fixture_V1_WhoAmIRequest(), as: Xinyu_Fixture_V1_WhoAmIReply.self, options: CallOptions(timeout: .seconds(10)))
        #expect(who.deadlineRemainingMs > 5000 && who.deadlineRemainingMs <= 10_000)
        #expect(who.principalID == "e2e:tester")
        await client.close()
        _ = try await host.stop()
    }

    @Test("cancelling a call ends it with CANCELLED and frees the plugin")
    func cancel() async throws {
        let host = try await RunningHost()
        let client = try await host.client()
        let call = Task {
            try await client.call("xinyu.fixture.v1.Probe/Sleep", sleepRequest(10_000), as: Xinyu_Fixture_V1_SleepReply.self)
        }
        try await host.waitForCallsInFlight("probe")
        let started = ContinuousClock.now
        call.cancel()
        await expectFailure(.cancelled) { try await call.value }
        #expect(ContinuousClock.now - started < .seconds(2))
        let reply = try await client.call("xinyu.fixture.v1.Probe/Echo", echo("after cancel"), as: EchoReply.self)
        #expect(reply.text == "after cancel")
        await client.close()
        _ = try await host.stop()
    }

    @Test("kill -9 of a plugin mid-call: the call gets UNAVAILABLE, the next succeeds after the restart")
    func pluginCrash() async throws {
        let host = try await RunningHost()
        let client = try await host.client()
        let before = try await client.call("xinyu.fixture.v1.Probe/Echo", echo("before"), as: EchoReply.self)
        let inFlight = Task {
            try await client.call("xinyu.fixture.v1.Probe/Sleep", sleepRequest(10_000), as: Xinyu_Fixture_V1_SleepReply.self)
        }
        try await host.waitForCallsInFlight("probe")
        kill(before.pid, SIGKILL)
        let error = await expectFailure(.unavailable) { try await inFlight.value }
        #expect(error?.message.contains("plugin 'probe'") == true, "\(String(describing: error))")
        // The new process, not the old one still shown as ready for a moment after its death.
        try await waitUntil("probe restarted", timeout: .seconds(15)) {
            guard let probe = try? await host.pluginStatus()["probe"] else { return false }
            return probe.state == "ready" && probe.pid != before.pid
        }
        let after = try await client.call("xinyu.fixture.v1.Probe/Echo", echo("after"), as: EchoReply.self)
        #expect(after.pid != before.pid)
        #expect(try await host.pluginStatus()["probe"]?.restarts == 1)
        await client.close()
        #expect(try await host.stop() == 0)
    }

    @Test("an idempotent write retried after a plugin restart returns the first answer and changes nothing")
    func idempotencyAcrossRestart() async throws {
        let host = try await RunningHost()
        let client = try await host.client()
        let options = CallOptions(idempotencyKey: "visit-2026-11-29-0001")
        let first = try await client.call("xinyu.fixture.v1.Probe/RecordVisit", visit("S2024-0113"), as: Xinyu_Fixture_V1_RecordVisitReply.self, options: options)
        kill(first.pid, SIGKILL)
        try await waitUntil("probe restarted", timeout: .seconds(15)) {
            guard let s = try? await host.pluginStatus()["probe"] else { return false }
            return s.state == "ready" && s.pid != first.pid
        }
        // As PROTOCOL.md tells a client: UNAVAILABLE right after a restart is retried with the same key.
        var retried: Xinyu_Fixture_V1_RecordVisitReply?
        for _ in 0..<50 where retried == nil {
            do {
                retried = try await client.call("xinyu.fixture.v1.Probe/RecordVisit", visit("S2024-0113"), as: Xinyu_Fixture_V1_RecordVisitReply.self, options: options)
            } catch let error as RPCError where error.code == .unavailable {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        let retry = try #require(retried)
        #expect(retry.visitID == first.visitID)
        #expect(retry.pid == first.pid, "the stored first answer is returned, not a new one")
        let count = try await client.call("xinyu.fixture.v1.Probe/CountVisits", Xinyu_Fixture_V1_CountVisitsRequest(), as: Xinyu_Fixture_V1_CountVisitsReply.self)
        #expect(count.visits == 1)
        // The same key with a different request is refused.
        let error = await expectFailure(.failedPrecondition) {
            try await client.call("xinyu.fixture.v1.Probe/RecordVisit", visit("S2024-9999"), as: Xinyu_Fixture_V1_RecordVisitReply.self, options: options)
        }
        #expect(error?.message.contains("already used for a different request") == true)
        await client.close()
        _ = try await host.stop()
    }

    @Test("outbox events reach the subscriber, and its backlog arrives after it restarts")
    func outboxBacklog() async throws {
        let host = try await RunningHost()
        let client = try await host.client()
        let first = try await client.call("xinyu.fixture.v1.Probe/RecordVisit", visit("S1"), as: Xinyu_Fixture_V1_RecordVisitReply.self)
        try await waitUntil("first event delivered", timeout: .seconds(10)) {
            (try? await client.call("xinyu.fixture.v1.Tally/Totals", Xinyu_Fixture_V1_TotalsRequest(), as: Xinyu_Fixture_V1_TotalsReply.self).eventsSeen) == 1
        }
        // Take the subscriber down and write while it is down.
        let tallyPid = try #require(try await host.pluginStatus()["tally"]?.pid)
        kill(tallyPid, SIGKILL)
        var ids = [first.visitID]
        for i in 0..<5 {
            ids.append(try await client.call("xinyu.fixture.v1.Probe/RecordVisit", visit("S\(i + 2)"), as: Xinyu_Fixture_V1_RecordVisitReply.self).visitID)
        }
        try await waitUntil("backlog delivered after restart", timeout: .seconds(20)) {
            (try? await client.call("xinyu.fixture.v1.Tally/Totals", Xinyu_Fixture_V1_TotalsRequest(), as: Xinyu_Fixture_V1_TotalsReply.self).eventsSeen) == 6
        }
        let totals = try await client.call("xinyu.fixture.v1.Tally/Totals", Xinyu_Fixture_V1_TotalsRequest(), as: Xinyu_Fixture_V1_TotalsReply.self)
        #expect(totals.visitIds == ids, "every event once, in order")
        #expect(try await host.pluginStatus()["tally"]?.restarts == 1)
        await client.close()
        _ = try await host.stop()
    }

    @Test("a plugin calls another plugin through the host with its own identity")
    func pluginToPlugin() async throws {
        let host = try await RunningHost()
        let client = try await host.client()
        let reply = try await client.call("xinyu.fixture.v1.Probe/AskTally", Xinyu_Fixture_V1_AskTallyRequest(), as: Xinyu_Fixture_V1_AskTallyReply.self)
        #expect(reply.askedAs == "plugin:probe")
        await client.close()
        _ = try await host.stop()
    }

    @Test("unknown method, disabled plugin and malformed payload get precise errors; the host stays up")
    func errors() async throws {
        let host = try await RunningHost(plugins: ["probe"])
        let client = try await host.client()
        let unknown = await expectFailure(.unimplemented) { try await client.callRaw("xinyu.fixture.v1.Probe/Nope", request: []) }
        #expect(unknown?.message.contains("xinyu.fixture.v1.Probe/Nope") == true)
        let disabled = await expectFailure(.failedPrecondition) { try await client.callRaw("xinyu.crisis.v1.Crisis/GetLevel", request: []) }
        #expect(disabled?.message.contains("plugin 'crisis' is not enabled") == true)
        let malformed = await expectFailure(.invalidArgument) { try await client.callRaw("xinyu.fixture.v1.Probe/Echo", request: [0xFF, 0xFF, 0xFF]) }
        #expect(malformed?.message.contains("xinyu.fixture.v1.EchoRequest") == true)
        // The tally plugin is not enabled here, and its methods are unknown to this host.
        await expectFailure(.unimplemented) { try await client.callRaw("xinyu.fixture.v1.Tally/Totals", request: []) }
        let still = try await client.call("xinyu.fixture.v1.Probe/Echo", echo("still up"), as: EchoReply.self)
        #expect(still.text == "still up")
        await client.close()
        _ = try await host.stop()
    }

    @Test("SIGTERM drains calls in flight, stops the plugins and exits 0")
    func gracefulShutdown() async throws {
        let host = try await RunningHost()
        let client = try await host.client()
        let pids = try await host.pluginStatus().values.map(\.pid)
        let slow = Task { try await client.call("xinyu.fixture.v1.Probe/Echo", echo("draining", delayMs: 500), as: EchoReply.self) }
        try await host.waitForCallsInFlight("probe")
        host.process.terminate()
        let reply: EchoReply
        do {
            reply = try await slow.value
        } catch {
            let status = try? await host.waitForExit(timeout: .seconds(15))
            Issue.record("host exit \(status.map(String.init) ?? "still running") (\(host.process.exitStatus.map { "\($0)" } ?? "running")) log:\n\(host.log)")
            throw error
        }
        #expect(reply.text == "draining")
        #expect(try await host.waitForExit(timeout: .seconds(15)) == 0)
        for pid in pids { #expect(kill(pid, 0) != 0, "plugin \(pid) must not outlive the host") }
        await client.close()
    }

    @Test("plugins exit when the host is killed with SIGKILL")
    func pluginsNeverOutliveHost() async throws {
        let host = try await RunningHost()
        let pids = try await host.pluginStatus().values.map(\.pid)
        kill(host.process.processIdentifier, SIGKILL)
        try await waitUntil("plugins gone", timeout: .seconds(10)) { pids.allSatisfy { kill($0, 0) != 0 } }
    }

    @Test("the host stops gracefully when its parent's end of standard input closes, as when a test run dies")
    func hostFollowsItsParent() async throws {
        let host = try await RunningHost()
        let pids = try await host.pluginStatus().values.map(\.pid)
        host.closeStandardInput()
        #expect(try await host.waitForExit(timeout: .seconds(15)) == 0)
        for pid in pids { #expect(kill(pid, 0) != 0, "plugin \(pid) must not outlive the host") }
    }

    @Test("the operator socket is owner-only")
    func socketPermissions() async throws {
        let host = try await RunningHost(plugins: [])
        let attributes = try FileManager.default.attributesOfItem(atPath: host.socketPath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        _ = try await host.stop()
    }
}
