import GRDB
import NIOConcurrencyHelpers
import XinyuStore

/// What one call's ``CallStore`` does about timers: when the call is a timer firing, it marks
/// the timer fired inside the handler's first write (so the writes and the mark commit together
/// or not at all); when the call scheduled or moved a timer, it wakes the timer loop after the
/// commit (before it, the loop could read the database without the new timer and sleep on).
final class CallTimers: Sendable {
    /// The timer this call fires.
    struct Firing: Sendable {
        let owner: String
        let key: String
        let version: Int64
        let nowMs: Int64
    }

    let firing: Firing?
    private let signal: TimerSignal?
    private let state = NIOLockedValueBox((marked: false, changed: false))

    init(firing: Firing? = nil, signal: TimerSignal? = nil) {
        self.firing = firing
        self.signal = signal
    }

    /// Inside a write, before the handler's body: the mark comes first so that a handler that
    /// schedules its own key again (the next deadline) leaves that new timer pending.
    func markFiredIfFiring(_ db: Database) throws {
        guard let firing, !state.withLockedValue({ $0.marked }) else { return }
        try DurableTimers.markFired(db, owner: firing.owner, key: firing.key, version: firing.version, nowMs: firing.nowMs)
    }

    /// A timer was scheduled or moved in the write under way.
    func noteChanged() {
        state.withLockedValue { $0.changed = true }
    }

    /// The write committed.
    func committed() {
        let wake = state.withLockedValue { s -> Bool in
            if firing != nil { s.marked = true }
            defer { s.changed = false }
            return s.changed
        }
        if wake { signal?.signal() }
    }

    /// True once a committed write of this call marked its timer fired.
    var markedFired: Bool { state.withLockedValue { $0.marked } }
}
