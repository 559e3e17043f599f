import Foundation

/// A registered timer handler, by topic; see ``ServiceRegistry/onTimer(_:as:handler:)-(_,P.Type,_)``.
public struct TimerHandler: Sendable {
    /// The topic timers name to reach this handler, e.g. "crisis.case.assignment-due".
    public let topic: String
    let invoke: @Sendable ([UInt8], TimerInfo, CallContext) async throws -> Void
}

/// Facts about a timer being fired.
public struct TimerInfo: Sendable {
    /// The key it was scheduled under, e.g. "case-42-assignment".
    public let key: String
    /// Its topic.
    public let topic: String
    /// The time it was scheduled for (it fires at or after this, never before).
    public let dueAt: Date
    /// ``dueAt`` in milliseconds since 1970 (UTC).
    public let dueAtMs: Int64
    /// 1 for the first attempt, 2 after one failure, and so on.
    public let attempt: Int
}

/// Work a plugin runs once each time it starts, before its timers fire: e.g. scheduling timers
/// for records written by an older version that had none. Registered with
/// ``ServiceRegistry/atStart(_:handler:)``.
public struct StartTask: Sendable {
    /// A stable name, unique within the plugin.
    public let name: String
    let run: @Sendable (CallContext) async throws -> Void
}

/// How long a timer whose handler failed waits before the next attempt: 5 s, doubling with each
/// failure, at most 15 minutes. A timer is never dropped: it is retried until it succeeds or
/// its owner cancels it.
public enum TimerRetry {
    /// The delay after `failures` failed attempts (1 or more).
    public static func delay(afterFailures failures: Int) -> Duration {
        let seconds = 5 * (1 << min(max(failures, 1) - 1, 16))
        return .seconds(min(seconds, 15 * 60))
    }
}
