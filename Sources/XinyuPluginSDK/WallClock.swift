import Foundation
import NIOConcurrencyHelpers

/// Where handlers and periodic jobs read the time, so tests can control it.
///
/// Use ``CallContext/now`` in handlers rather than `Date()`: deadlines such as "a level-1 case
/// must be assigned within an hour" are then testable without waiting an hour.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The system's real-time clock.
public struct SystemClock: WallClock {
    /// Creates the system clock.
    public init() {}
    /// `Date()`.
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to: for tests.
public final class ManualClock: WallClock {
    private let current: NIOLockedValueBox<Date>

    /// Creates a clock that reads `start` until it is advanced or set.
    public init(_ start: Date) { current = NIOLockedValueBox(start) }

    /// The time the clock was last set to.
    public func now() -> Date { current.withLockedValue { $0 } }

    /// Moves the clock forward (or backward, for a negative duration).
    public func advance(by duration: Duration) {
        let parts = duration.components
        let seconds = TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
        current.withLockedValue { $0 = $0.addingTimeInterval(seconds) }
    }

    /// Sets the clock to `date`.
    public func set(_ date: Date) { current.withLockedValue { $0 = date } }
}
