import Foundation

/// How a connection waits when another process holds the database's write lock.
///
/// The host and every plugin write to the one shared file, so a writer regularly finds the
/// lock taken by another process for a fraction of a millisecond (one group commit, one audit
/// batch). SQLite's own busy timeout sleeps 1, 2, 5, 10, 15 ms… between tries, so a lock freed
/// after 200 µs still cost the waiter a millisecond or more, and writers of different
/// processes ended up taking turns at the pace of those sleeps (issue 5, W2). This polls
/// every 50 µs for the first 10 ms, then every millisecond, up to the same overall timeout.
public struct LockWait: Sendable {
    /// How long a writer waits in total before the write fails with SQLITE_BUSY.
    public let timeout: Duration

    static let fastTries = 200
    static let fastPause: Duration = .microseconds(50)
    static let slowPause: Duration = .milliseconds(1)

    /// Creates a policy that gives up after `timeout`.
    public init(timeout: Duration) { self.timeout = timeout }

    /// How long to sleep before retrying after `tries` failed tries (SQLite counts from 0),
    /// or nil when the time already waited has reached the timeout.
    public func pause(afterTries tries: Int) -> Duration? {
        let fast = min(tries, Self.fastTries)
        let waited = Self.fastPause * fast + Self.slowPause * max(0, tries - Self.fastTries)
        guard waited < timeout else { return nil }
        return tries < Self.fastTries ? Self.fastPause : Self.slowPause
    }

    /// The callback SQLite calls on a busy lock: sleeps and retries, or gives up.
    var busyCallback: @Sendable (Int) -> Bool {
        let policy = self
        return { tries in
            guard let pause = policy.pause(afterTries: tries) else { return false }
            let micros = pause.components.attoseconds / 1_000_000_000_000 + pause.components.seconds * 1_000_000
            usleep(UInt32(clamping: micros))
            return true
        }
    }
}
