import Foundation
import GRDB
import XinyuStore
import XinyuWire

extension ServiceDispatcher {
    /// How many due timers one pass reads; a full batch is followed at once by another pass.
    static let timerBatch = 100

    /// Fires every timer of this plugin that is due by the dispatcher's clock, once, and
    /// returns how many fired. What the timer loop does each time it wakes, and what tests call
    /// after advancing a ``ManualClock`` ("fire due timers now", like ``runJob(_:)``).
    /// A failing handler is logged and its timer retried later (``TimerRetry``): that is not
    /// an error here. Throws only when the database cannot be read.
    @discardableResult
    public func fireDueTimers() async throws -> Int {
        var fired = 0
        while true {
            let (attempted, succeeded) = try await fireDueBatch()
            fired += succeeded
            if attempted < Self.timerBatch { return fired }
        }
    }

    /// Runs the tasks registered with ``ServiceRegistry/atStart(_:handler:)``, in order.
    /// A failing task is logged (name and error type only) and the next one still runs.
    public func runStartTasks() async {
        for task in registry.startTasks {
            let context = makeContext(principal: jobPrincipal, method: "start:\(task.name)", start: .init(), deadline: nil,
                                      store: CallStore(database: database, timers: CallTimers(signal: timerSignal)))
            do {
                try await task.run(context)
            } catch {
                logger.error("start task failed", metadata: ["task": "\(task.name)", "error": "\(Self.timerSafeDescription(error))"])
            }
        }
    }

    /// Fires timers as they come due until the task is cancelled: sleeps until the next
    /// pending timer (no polling), wakes early when a call in this process schedules or moves
    /// one, and re-reads at least every `recheckEvery` for timers another process scheduled.
    /// Timers that came due while the plugin was down fire on the first pass.
    public func runTimerLoop(recheckEvery: Duration = .seconds(60)) async {
        guard !registry.timerHandlers.isEmpty else { return }
        while !Task.isCancelled {
            var wait = recheckEvery
            do {
                try await fireDueTimers()
                let owner = self.owner
                if let next = try await database.read({ db in try DurableTimers.nextFireAtMs(db, owner: owner) }) {
                    wait = min(wait, .milliseconds(max(0, next - timerNowMs)))
                }
            } catch {
                logger.error("could not read the timers", metadata: ["error": "\(Self.timerSafeDescription(error))"])
            }
            // A floor, so that a timer the database keeps reporting as due cannot spin the loop.
            await timerSignal.wait(upTo: max(wait, .milliseconds(10)))
        }
    }

    private var timerNowMs: Int64 { Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down)) }

    private func fireDueBatch() async throws -> (attempted: Int, fired: Int) {
        let owner = self.owner
        let now = timerNowMs
        let due = try await database.read { db in try DurableTimers.due(db, owner: owner, atMs: now, limit: Self.timerBatch) }
        var fired = 0
        for timer in due where await fire(timer, nowMs: now) { fired += 1 }
        return (due.count, fired)
    }

    /// One attempt at one timer. True when it fired (its handler's writes and the mark committed).
    private func fire(_ timer: ScheduledTimer, nowMs: Int64) async -> Bool {
        let firing = CallTimers.Firing(owner: owner, key: timer.key, version: timer.version, nowMs: nowMs)
        let timers = CallTimers(firing: firing, signal: timerSignal)
        let store = CallStore(database: database, timers: timers)
        let context = makeContext(principal: jobPrincipal, method: "timer:\(timer.topic)", start: .init(), deadline: nil, store: store)
        let info = TimerInfo(key: timer.key, topic: timer.topic, dueAt: Date(timeIntervalSince1970: Double(timer.dueAtMs) / 1000),
                             dueAtMs: timer.dueAtMs, attempt: timer.attempts + 1)
        do {
            guard let handler = registry.timerHandlers[timer.topic] else {
                throw RPCError(.unimplemented, "no handler registered for timer topic \(timer.topic)")
            }
            try await handler.invoke(timer.payload, info, context)
            if !timers.markedFired {
                // The handler wrote nothing of its own: mark the timer fired alone.
                try await database.write { db in try timers.markFiredIfFiring(db) }
            }
            return true
        } catch is TimerNoLongerPending {
            // Cancelled, moved or fired elsewhere while this attempt ran: nothing of it applied.
            return false
        } catch is CancellationError where Task.isCancelled {
            // The plugin is stopping: the timer stays pending and fires after the next start.
            return false
        } catch {
            let reason = Self.timerSafeDescription(error)
            let retryAt = nowMs + Self.milliseconds(TimerRetry.delay(afterFailures: timer.attempts + 1))
            // The topic and the error's type or code only: payloads, keys and messages can hold personal data.
            logger.error("timer handler failed; will retry", metadata: [
                "topic": "\(timer.topic)", "attempt": "\(timer.attempts + 1)", "error": "\(reason)",
            ])
            let owner = self.owner
            do {
                try await database.write { db in
                    try DurableTimers.recordFailure(db, owner: owner, key: timer.key, version: timer.version, retryAtMs: retryAt, reason: reason)
                }
            } catch {
                logger.error("could not record a timer failure", metadata: ["topic": "\(timer.topic)", "error": "\(Self.timerSafeDescription(error))"])
            }
            return false
        }
    }

    static func timerSafeDescription(_ error: Error) -> String {
        if let rpc = error as? RPCError { return "RPCError \(rpc.code)" }
        return safeDescription(error)
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
