import Foundation
import Testing
import XinyuClient
import XinyuCoreAPI
import XinyuFixtureAPI
import XinyuRPC

/// The promises of docs/RELIABILITY.md under real faults: real host and plugin processes, real
/// sockets, 8 concurrent writers that each keep a ledger of their logical writes and retry with
/// the same idempotency key, and kill -9 / SIGSTOP / a full disk in the middle of it.
@Suite("Fault suite", .serialized, .timeLimit(.minutes(3)))
struct FaultSuiteTests {
    @Test("kill -9 of the plugin three times under 8 writers: nothing lost, nothing doubled, every retry gets its first answer")
    func pluginKilledUnderLoad() async throws {
        let host = try await RunningHost(plugins: ["crisis"])
        try await host.client().closing { try await FaultCity.seed($0) }
        let ledger = WriteLedger()
        let writes = Task {
            await FaultCity.write(socket: host.socketPath, token: host.testerToken, run: "pk", writers: FaultCity.writers, each: FaultCity.each, ledger: ledger)
        }
        var killed: [Int32] = []
        for round in 1...3 {
            try await ledger.waitForAnswers(round * 40)
            let pid = try #require(try await host.pluginStatus()["crisis"]?.pid)
            kill(pid, SIGKILL)
            killed.append(pid)
            let gone = killed
            try await waitUntil("crisis restarted after kill \(round)", timeout: .seconds(30)) {
                guard let s = try? await host.pluginStatus()["crisis"] else { return false }
                return s.state == "ready" && !gone.contains(s.pid)
            }
        }
        try await FaultCity.finish(writes, ledger: ledger, host: host)
        #expect(try await host.pluginStatus()["crisis"]?.restarts == 3)
        try await FaultCity.check(ledger, host: host, run: "plugin-kill")
        _ = try await host.stop()
    }

    @Test("kill -9 of the host under 8 writers: after a restart on the same database nothing is lost or doubled")
    func hostKilledUnderLoad() async throws {
        let host = try await RunningHost(plugins: ["crisis"])
        try await host.client().closing { try await FaultCity.seed($0) }
        let ledger = WriteLedger()
        let writes = Task {
            await FaultCity.write(socket: host.socketPath, token: host.testerToken, run: "hk", writers: FaultCity.writers, each: FaultCity.each, ledger: ledger)
        }
        try await ledger.waitForAnswers(60)
        let pluginPid = try #require(try await host.pluginStatus()["crisis"]?.pid)
        let hostPid = host.process.processIdentifier
        kill(hostPid, SIGKILL)
        try await waitUntil("host and plugin gone", timeout: .seconds(20)) { processEnded(hostPid) && processEnded(pluginPid) }
        // The writers keep retrying (connection refused) until a new host serves the same socket.
        let restarted = try await RunningHost(reusing: host.directory, plugins: ["crisis"])
        try await FaultCity.finish(writes, ledger: ledger, host: restarted)
        try await FaultCity.check(ledger, host: restarted, run: "host-kill")
        _ = try await restarted.stop()
        withExtendedLifetime(host) {}
    }

    @Test("a plugin stopped with SIGSTOP: callers get DEADLINE_EXCEEDED, retry, and once it runs again every write lands once")
    func pluginStoppedUnderLoad() async throws {
        let host = try await RunningHost(plugins: ["crisis"])
        try await host.client().closing { try await FaultCity.seed($0) }
        let ledger = WriteLedger()
        let writes = Task {
            await FaultCity.write(socket: host.socketPath, token: host.testerToken, run: "ss", writers: FaultCity.writers, each: FaultCity.each, ledger: ledger,
                                  attemptTimeout: .milliseconds(500))
        }
        try await ledger.waitForAnswers(40)
        let pid = try #require(try await host.pluginStatus()["crisis"]?.pid)
        try await stopProcess(pid)
        // Every writer is now stuck on the stopped plugin: wait until each has timed out once.
        try await ledger.progress.wait(for: "writers timing out on the stopped plugin", timeout: .seconds(30)) {
            ledger.retried(because: "DEADLINE_EXCEEDED") >= FaultCity.writers
        }
        kill(pid, SIGCONT)
        try await FaultCity.finish(writes, ledger: ledger, host: host)
        try await FaultCity.check(ledger, host: host, run: "sigstop")
        _ = try await host.stop()
    }

    @Test("a plugin hung under 8 writers is found, killed and restarted by the host; every write lands once")
    func pluginHungUnderLoadIsRestarted() async throws {
        let host = try await RunningHost(plugins: ["crisis"], extraConfig: """
            liveness_interval_ms = 200
            liveness_timeout_ms = 500
            hung_restart_ms = 2000
            """, keepaliveMs: 10_000)
        try await host.client().closing { try await FaultCity.seed($0) }
        let ledger = WriteLedger()
        let writes = Task {
            await FaultCity.write(socket: host.socketPath, token: host.testerToken, run: "hung", writers: FaultCity.writers, each: FaultCity.each, ledger: ledger,
                                  attemptTimeout: .milliseconds(800))
        }
        try await ledger.waitForAnswers(40)
        let pid = try #require(try await host.pluginStatus()["crisis"]?.pid)
        try await stopProcess(pid)
        // Not resumed: the host must find the hung plugin and replace it by itself.
        try await waitUntil("the hung crisis plugin replaced", timeout: .seconds(30)) {
            guard let s = try? await host.pluginStatus()["crisis"] else { return false }
            return s.state == "ready" && s.pid != pid
        }
        try await FaultCity.finish(writes, ledger: ledger, host: host)
        #expect(processEnded(pid), "the hung process was killed")
        #expect(ledger.retried(because: "UNAVAILABLE") > 0, "calls to the degraded plugin fail fast: \(ledger.summary)")
        try await FaultCity.check(ledger, host: host, run: "hung-restart")
        _ = try await host.stop()
    }

    @Test("a subscriber killed during a burst of 200 events gets the whole backlog once, in order")
    func subscriberDownDuringBurst() async throws {
        let host = try await RunningHost()
        let ledger = WriteLedger()
        let socket = host.socketPath, token = host.testerToken
        let writes = Task {
            await withTaskGroup(of: Void.self) { group in
                for w in 0..<FaultCity.writers {
                    group.addTask {
                        let writer = RetryingWriter(connect: { try await XinyuClient.connect(to: .unix(path: socket), name: "burst", token: token) }, ledger: ledger)
                        var client: XinyuClient?
                        for i in 0..<FaultCity.each {
                            let request = Xinyu_Fixture_V1_RecordVisitRequest.with { $0.studentID = "B\(w)-\(i)" }
                            await writer.write(key: "burst-w\(w)-\(i)", on: &client) { client, options in
                                String(try await client.call("xinyu.fixture.v1.Probe/RecordVisit", request, as: Xinyu_Fixture_V1_RecordVisitReply.self, options: options).visitID)
                            }
                        }
                        if let client { await client.close() }
                    }
                }
            }
        }
        try await ledger.waitForAnswers(30)
        let tally = try #require(try await host.pluginStatus()["tally"]?.pid)
        kill(tally, SIGKILL)
        await writes.value
        let total = FaultCity.writers * FaultCity.each
        #expect(ledger.answered == total, "\(ledger.summary)")
        let client = try await host.client()
        try await waitUntil("all \(total) events delivered after the subscriber's restart", timeout: .seconds(60)) {
            (try? await client.call("xinyu.fixture.v1.Tally/Totals", Xinyu_Fixture_V1_TotalsRequest(), as: Xinyu_Fixture_V1_TotalsReply.self).eventsSeen) == Int64(total)
        }
        let totals = try await client.call("xinyu.fixture.v1.Tally/Totals", Xinyu_Fixture_V1_TotalsRequest(), as: Xinyu_Fixture_V1_TotalsReply.self)
        #expect(totals.duplicates == 0)
        #expect(Set(totals.visitIds.map(String.init)) == Set(ledger.all.compactMap(\.answer)), "every acknowledged visit's event arrived")
        #expect(totals.visitIds == totals.visitIds.sorted(), "in commit order")
        #expect(try await host.pluginStatus()["tally"]?.restarts == 1)
        print("fault-suite subscriber-down: \(ledger.summary) events=\(totals.eventsSeen) duplicates=\(totals.duplicates)")
        await client.close()
        _ = try await host.stop()
    }
}
