import Foundation
import GRDB
import Logging
import NIOConcurrencyHelpers
import Testing
import XinyuPluginSDK
import XinyuStore
import XinyuWire

/// A timer payload as plugins often write it: a few ids.
private struct Reminder: Codable, Sendable {
    let n: Int
}

@Suite("Durable timers")
struct DurableTimerTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)
    let database: SharedDatabase
    let clock = ManualClock(Self.start)
    /// Payload numbers in the order their timers fired, as the handlers saw them.
    let fired = NIOLockedValueBox<[Int]>([])

    init() throws {
        database = try SharedDatabase.temporary()
        try database.migrateCore()
        try database.migrate(owner: "demo", [NamedMigration("v1") { db in try db.execute(sql: "CREATE TABLE demo_fired (n INTEGER NOT NULL)") }])
    }

    /// A dispatcher for `owner` whose "remind" timers record their payload in memory and in
    /// `demo_fired` (one transaction with the fired mark), plus `extra` registrations.
    func dispatcher(owner: String = "demo", clock: (any WallClock)? = nil, failFirst: Int = 0,
                    _ extra: (inout ServiceRegistry) -> Void = { _ in }) -> ServiceDispatcher {
        var registry = ServiceRegistry()
        let fired = self.fired
        let failures = NIOLockedValueBox(failFirst)
        registry.onTimer("demo.remind", as: Reminder.self) { reminder, info, context in
            try await context.store.write { db in
                try db.execute(sql: "INSERT INTO demo_fired (n) VALUES (?)", arguments: [reminder.n])
                // Thrown after the write: the write must roll back with the attempt.
                if failures.withLockedValue({ $0 > 0 ? ($0 -= 1, true).1 : false }) {
                    throw RPCError(.unavailable, "the printer is out of paper")
                }
            }
            fired.withLockedValue { $0.append(reminder.n) }
        }
        extra(&registry)
        return ServiceDispatcher(owner: owner, registry: registry, database: database, caller: NoHost(), logger: Logger(label: "test"),
                                 clock: clock ?? self.clock)
    }

    /// Runs `body` in one write transaction of a job call on `d`, as a handler would.
    func inTransaction(_ d: ServiceDispatcher, _ body: @escaping @Sendable (CallContext, Database) throws -> Void) async throws {
        var registry = ServiceRegistry()
        registry.every(.seconds(60), "once") { context in try await context.store.write { db in try body(context, db) } }
        let caller = ServiceDispatcher(owner: d.owner, registry: registry, database: database, caller: NoHost(), logger: Logger(label: "test"), clock: d.clock)
        try await caller.runJob("once")
    }

    func remind(_ n: Int, in seconds: Double, key: String? = nil) -> @Sendable (CallContext, Database) throws -> Void {
        { context, db in
            _ = try context.schedule(at: context.now.addingTimeInterval(seconds), topic: "demo.remind", payload: Reminder(n: n), key: key, in: db)
        }
    }

    func pending(_ key: String) throws -> ScheduledTimer? {
        try database.readSync { db in try DurableTimers.pending(db, owner: "demo", key: key) }
    }

    func rows() throws -> [Int] {
        try database.readSync { db in try Int.fetchAll(db, sql: "SELECT n FROM demo_fired ORDER BY rowid") }
    }

    @Test("a timer fires once at its time, not before, with its writes and the fired mark together")
    func firesOnceAtItsTime() async throws {
        let d = dispatcher()
        try await inTransaction(d, remind(1, in: 60, key: "r-1"))
        clock.advance(by: .seconds(59))
        #expect(try await d.fireDueTimers() == 0)
        #expect(try rows().isEmpty, "fired before its time")
        clock.advance(by: .seconds(1))
        #expect(try await d.fireDueTimers() == 1)
        #expect(try await d.fireDueTimers() == 0, "fired twice")
        clock.advance(by: .seconds(3600))
        #expect(try await d.fireDueTimers() == 0, "fired twice")
        #expect(try rows() == [1] && fired.withLockedValue { $0 } == [1])
    }

    @Test("a timer runs as the plugin with every permission and city scope, and sees its key and due time")
    func runsAsPlugin() async throws {
        let seen = NIOLockedValueBox<(Principal, TimerInfo)?>(nil)
        let d = dispatcher { r in
            r.onTimer("demo.who", as: Ping.self) { _, info, context in seen.withLockedValue { $0 = (context.principal, info) } }
        }
        try await inTransaction(d) { context, db in
            _ = try context.schedule(at: context.now.addingTimeInterval(5), topic: "demo.who", payload: Ping(), key: "who", in: db)
        }
        clock.advance(by: .seconds(10))
        #expect(try await d.fireDueTimers() == 1)
        let (principal, info) = try #require(seen.withLockedValue { $0 })
        #expect(principal.id == "plugin:demo" && principal.kind == .plugin && principal.has("anything.at.all") && principal.scopes == [.city])
        #expect(info.key == "who" && info.topic == "demo.who" && info.attempt == 1)
        #expect(info.dueAtMs == 1_700_000_005_000 && info.dueAt == Self.start.addingTimeInterval(5))
    }

    @Test("a timer that came due while the plugin was down fires when a new runtime starts on the same database")
    func survivesRestart() async throws {
        let before = dispatcher()
        try await inTransaction(before, remind(7, in: 30))
        // The first process is gone; time passes; a new one starts with a new registry and clock.
        let later = ManualClock(Self.start.addingTimeInterval(3600))
        let after = dispatcher(clock: later)
        #expect(try await after.fireDueTimers() == 1)
        #expect(try rows() == [7])
    }

    @Test("a cancelled timer never fires; cancelling again reports nothing to cancel")
    func cancelled() async throws {
        let d = dispatcher()
        try await inTransaction(d, remind(1, in: 60, key: "r-1"))
        try await inTransaction(d, remind(2, in: 60, key: "r-2"))
        let outcome = NIOLockedValueBox<[Bool]>([])
        try await inTransaction(d) { context, db in
            let first = try context.cancelTimer(key: "r-1", in: db)
            let second = try context.cancelTimer(key: "r-1", in: db)
            outcome.withLockedValue { $0 = [first, second] }
        }
        #expect(outcome.withLockedValue { $0 } == [true, false])
        clock.advance(by: .seconds(86400))
        #expect(try await d.fireDueTimers() == 1)
        #expect(try rows() == [2])
    }

    @Test("a moved timer fires at its new time only; moving a fired timer reports false")
    func moved() async throws {
        let d = dispatcher()
        try await inTransaction(d, remind(1, in: 60, key: "r-1"))
        let movedAt = NIOLockedValueBox<(Bool, Date?)>((false, nil))
        try await inTransaction(d) { context, db in
            let moved = try context.moveTimer(key: "r-1", to: context.now.addingTimeInterval(600), in: db)
            movedAt.withLockedValue { $0 = (moved, try? context.pendingTimer(key: "r-1", in: db)?.dueAt) }
        }
        #expect(movedAt.withLockedValue { $0.0 } && movedAt.withLockedValue { $0.1 } == Self.start.addingTimeInterval(600))
        clock.advance(by: .seconds(120))
        #expect(try await d.fireDueTimers() == 0, "fired at its old time")
        clock.advance(by: .seconds(480))
        #expect(try await d.fireDueTimers() == 1)
        let afterFiring = NIOLockedValueBox<(Bool, PendingTimer?)>((true, nil))
        try await inTransaction(d) { context, db in
            let moved = try context.moveTimer(key: "r-1", to: context.now, in: db)
            afterFiring.withLockedValue { $0 = (moved, try? context.pendingTimer(key: "r-1", in: db)) }
        }
        #expect(afterFiring.withLockedValue { $0.0 } == false && afterFiring.withLockedValue { $0.1 } == nil)
        #expect(try rows() == [1])
    }

    @Test("a rolled-back transaction schedules nothing")
    func rolledBack() async throws {
        let d = dispatcher()
        await #expect(throws: RPCError.self) {
            try await inTransaction(d) { context, db in
                try remind(1, in: 1)(context, db)
                throw RPCError(.failedPrecondition, "changed my mind")
            }
        }
        clock.advance(by: .seconds(3600))
        #expect(try await d.fireDueTimers() == 0)
        #expect(try database.readSync { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM xinyu_timers") } == 0)
    }

    @Test("a failing handler's writes roll back; it is retried after a backoff until it succeeds")
    func retriedWithBackoff() async throws {
        let d = dispatcher(failFirst: 2)
        try await inTransaction(d, remind(3, in: 0, key: "r-3"))
        #expect(try await d.fireDueTimers() == 0, "first attempt fails")
        #expect(try rows().isEmpty, "a failed attempt's writes must roll back")
        #expect(try pending("r-3")?.attempts == 1)
        #expect(try await d.fireDueTimers() == 0, "retried before its backoff")
        clock.advance(by: TimerRetry.delay(afterFailures: 1))
        #expect(try await d.fireDueTimers() == 0, "second attempt fails")
        clock.advance(by: TimerRetry.delay(afterFailures: 1))
        #expect(try await d.fireDueTimers() == 0, "the backoff doubles")
        clock.advance(by: TimerRetry.delay(afterFailures: 1))
        #expect(try await d.fireDueTimers() == 1)
        #expect(try rows() == [3])
        #expect(TimerRetry.delay(afterFailures: 1) == .seconds(5) && TimerRetry.delay(afterFailures: 30) == .seconds(900))
    }

    @Test("a handler that schedules its own key again leaves the new timer pending")
    func rescheduleFromHandler() async throws {
        let d = dispatcher { r in
            r.onTimer("demo.repeat", as: Reminder.self) { reminder, _, context in
                try await context.store.write { db in
                    try db.execute(sql: "INSERT INTO demo_fired (n) VALUES (?)", arguments: [reminder.n])
                    if reminder.n < 3 {
                        _ = try context.schedule(at: context.now.addingTimeInterval(60), topic: "demo.repeat", payload: Reminder(n: reminder.n + 1), key: "again", in: db)
                    }
                }
            }
        }
        try await inTransaction(d) { context, db in
            _ = try context.schedule(at: context.now.addingTimeInterval(60), topic: "demo.repeat", payload: Reminder(n: 1), key: "again", in: db)
        }
        for _ in 0..<5 {
            clock.advance(by: .seconds(60))
            try await d.fireDueTimers()
        }
        #expect(try rows() == [1, 2, 3])
    }

    @Test("a plugin never fires another plugin's timers")
    func ownerScoped() async throws {
        let mine = dispatcher()
        try await inTransaction(mine, remind(1, in: 1))
        let other = dispatcher(owner: "other")
        clock.advance(by: .seconds(60))
        #expect(try await other.fireDueTimers() == 0)
        #expect(try await mine.fireDueTimers() == 1)
    }

    @Test("start tasks run in order as the plugin; a failing one does not stop the next")
    func startTasks() async throws {
        let ran = NIOLockedValueBox<[String]>([])
        let d = dispatcher { r in
            r.atStart("first") { _ in
                ran.withLockedValue { $0.append("first") }
                throw RPCError(.internal, "broken")
            }
            r.atStart("second") { context in ran.withLockedValue { $0.append("second as \(context.principal.id)") } }
        }
        await d.runStartTasks()
        #expect(ran.withLockedValue { $0 } == ["first", "second as plugin:demo"])
    }

    @Test("the timer loop sleeps until the next timer and wakes early for one scheduled in the same process")
    func loopWakesEarly() async throws {
        let (events, continuation) = AsyncStream.makeStream(of: Int.self)
        let d = dispatcher(clock: SystemClock()) { r in
            r.onTimer("demo.signal", as: Reminder.self) { reminder, _, _ in _ = continuation.yield(reminder.n) }
            // A call in the same process that schedules a timer due almost at once.
            r.every(.seconds(60), "soon") { context in
                try await context.store.write { db in
                    _ = try context.schedule(at: context.now.addingTimeInterval(0.05), topic: "demo.signal", payload: Reminder(n: 1), in: db)
                }
            }
        }
        // One timer due in a minute: the loop sleeps towards it (and re-checks only every 10 minutes).
        try await inTransaction(d) { context, db in
            _ = try context.schedule(at: context.now.addingTimeInterval(60), topic: "demo.signal", payload: Reminder(n: 60), in: db)
        }
        let loop = Task { await d.runTimerLoop(recheckEvery: .seconds(600)) }
        defer { loop.cancel() }
        // The loop must wake for the new timer rather than sleep the minute out.
        try await d.runJob("soon")
        let first = try await withTimeout(.seconds(20)) { await events.first { _ in true } }
        #expect(first == 1)
        loop.cancel()
        await loop.value
    }

    func withTimeout<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async -> T?) async throws -> T? {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                Issue.record("timed out after \(limit)")
                return nil
            }
            let value = try await group.next() ?? nil
            group.cancelAll()
            return value
        }
    }
}
