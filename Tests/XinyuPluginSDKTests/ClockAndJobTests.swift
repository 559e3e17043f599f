import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
import XinyuPluginSDK
import XinyuStore
import XinyuWire

@Suite("Wall clock and periodic jobs")
struct ClockAndJobTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    func dispatcher(clock: any WallClock, _ build: (inout ServiceRegistry) -> Void) throws -> ServiceDispatcher {
        let database = try SharedDatabase.temporary()
        try database.migrateCore()
        var registry = ServiceRegistry()
        build(&registry)
        return ServiceDispatcher(owner: "demo", registry: registry, database: database, caller: NoHost(), logger: Logger(label: "test"), clock: clock)
    }

    @Test("a manual clock moves only when told, and handlers see it through the context")
    func manualClock() async throws {
        let clock = ManualClock(Self.start)
        let seen = NIOLockedValueBox<[Int64]>([])
        let d = try dispatcher(clock: clock) { r in
            r.every(.seconds(60), "tick") { context in seen.withLockedValue { $0.append(context.nowMs) } }
        }
        try await d.runJob("tick")
        clock.advance(by: .seconds(90))
        try await d.runJob("tick")
        #expect(seen.withLockedValue { $0 } == [1_700_000_000_000, 1_700_000_090_000])
        #expect(clock.now() == Self.start.addingTimeInterval(90))
    }

    @Test("a job runs as the plugin with every permission and city scope")
    func jobPrincipal() async throws {
        let principal = NIOLockedValueBox<Principal?>(nil)
        let d = try dispatcher(clock: SystemClock()) { r in
            r.every(.seconds(1), "who") { context in principal.withLockedValue { $0 = context.principal } }
        }
        try await d.runJob("who")
        let p = try #require(principal.withLockedValue { $0 })
        #expect(p.id == "plugin:demo" && p.kind == .plugin && p.has("crisis.anything") && p.scopes == [.city])
    }

    @Test("an unknown job is NOT_FOUND naming it")
    func unknownJob() async throws {
        let d = try dispatcher(clock: SystemClock()) { _ in }
        await #expect(throws: RPCError.self) { try await d.runJob("nope") }
    }

    @Test("the job loop keeps running after a failed run and stops when cancelled")
    func loopSurvivesErrors() async throws {
        let runs = NIOLockedValueBox(0)
        let d = try dispatcher(clock: SystemClock()) { r in
            r.every(.milliseconds(10), "flaky") { _ in
                let n = runs.withLockedValue { $0 += 1; return $0 }
                if n == 1 { throw RPCError(.internal, "first run fails") }
            }
        }
        let loop = Task { await d.runJobLoops() }
        try await waitFor { runs.withLockedValue { $0 } >= 3 }
        loop.cancel()
        await loop.value
        #expect(runs.withLockedValue { $0 } >= 3)
    }

    @Test("the jobs are listed in the registry")
    func registered() {
        var r = ServiceRegistry()
        r.every(.seconds(5), "a") { _ in }
        r.every(.seconds(7), "b") { _ in }
        #expect(Set(r.jobs.keys) == ["a", "b"])
        #expect(r.jobs["b"]?.interval == .seconds(7))
    }

    func waitFor(_ condition: @Sendable () -> Bool) async throws {
        // Generous: on a busy 2-core CI machine the whole parallel test run competes for the same threads.
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition() {
            guard ContinuousClock.now < deadline else { Issue.record("timed out"); return }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
