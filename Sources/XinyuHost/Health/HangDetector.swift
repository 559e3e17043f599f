/// Decides, for one plugin connection, when the plugin is hung: a pure state machine fed with
/// the time, the pings' answers and the calls that timed out; it returns what to do.
///
/// ```
///            ping unanswered for `timeout`              unresponsive for `restartAfter`
///  responsive ──────────────────────────────▶ degraded ──────────────────────────────▶ restart
///       ▲                                        │         (once; the supervisor kills it)
///       └──────────── any answer (pong) ─────────┘
/// ```
/// A ping goes out every `interval` (back to back while degraded), one at a time, and at once (if none is waiting) when a call
/// to the plugin ended DEADLINE_EXCEEDED: calls timing out make the host look sooner. The plugin
/// answers pings on its event loop, so a busy handler does not delay the answer; a process
/// stopped (SIGSTOP), deadlocked on its loop or swapped out does not answer.
///
/// "Unresponsive since" is when the first unanswered ping was sent. No wall clock is read here:
/// the caller passes `now`, so tests drive it with made-up instants.
struct HangDetector: Sendable {
    struct Settings: Sendable, Equatable {
        /// Time between pings while the plugin answers.
        var interval: Duration
        /// A ping not answered within this marks the plugin degraded.
        var timeout: Duration
        /// Degraded this long, the plugin is restarted; nil = never (it stays degraded).
        var restartAfter: Duration?
    }

    enum Action: Sendable, Equatable {
        /// Send a ping; its answer is reported with ``pong(_:now:)`` and this token.
        case ping(token: UInt64)
        /// The plugin stopped answering at `since`: show it degraded, fail new calls fast.
        case degraded(since: ContinuousClock.Instant)
        /// It answered again after being unresponsive for this long: it is ready again.
        case recovered(after: Duration)
        /// It has been unresponsive for this long: kill it and restart it.
        case restart(after: Duration)
    }

    let settings: Settings
    /// When the first unanswered ping was sent; nil while the plugin answers.
    private(set) var unresponsiveSince: ContinuousClock.Instant?
    /// The ping waiting for its answer.
    private var outstanding: (token: UInt64, sentAt: ContinuousClock.Instant)?
    private var lastPingAt: ContinuousClock.Instant?
    private var lastToken: UInt64 = 0
    private var probeRequested = false
    /// Set once a restart was asked for: nothing more is decided for this connection.
    private(set) var restartRequested = false

    init(settings: Settings) { self.settings = settings }

    /// The timer ran at `now`: a ping past its timeout marks the plugin degraded (or, long
    /// enough, asks for a restart), and the next ping goes out when it is due.
    mutating func tick(now: ContinuousClock.Instant) -> [Action] {
        guard !restartRequested else { return [] }
        var actions: [Action] = []
        if let waiting = outstanding, now - waiting.sentAt >= settings.timeout {
            outstanding = nil
            if unresponsiveSince == nil {
                unresponsiveSince = waiting.sentAt
                actions.append(.degraded(since: waiting.sentAt))
            }
        }
        if let since = unresponsiveSince, let restartAfter = settings.restartAfter, now - since >= restartAfter {
            restartRequested = true
            actions.append(.restart(after: now - since))
            return actions
        }
        // While degraded, one ping follows another, so that an answer is seen soon.
        let due = unresponsiveSince != nil || (lastPingAt.map { now - $0 >= settings.interval } ?? true)
        if outstanding == nil && (due || probeRequested) {
            lastToken += 1
            outstanding = (lastToken, now)
            lastPingAt = now
            probeRequested = false
            actions.append(.ping(token: lastToken))
        }
        return actions
    }

    /// The plugin answered the ping `token` at `now`. Any answer, even to an earlier ping that
    /// timed out, shows it runs again.
    mutating func pong(_ token: UInt64, now: ContinuousClock.Instant) -> [Action] {
        guard !restartRequested, token >= 1, token <= lastToken else { return [] }
        // The next ping is due an interval after the last one, as usual.
        outstanding = nil
        guard let since = unresponsiveSince else { return [] }
        unresponsiveSince = nil
        return [.recovered(after: now - since)]
    }

    /// A call to the plugin ended DEADLINE_EXCEEDED at `now`: ping now rather than at the next
    /// interval (unless a ping is already waiting).
    mutating func callTimedOut(now: ContinuousClock.Instant) -> [Action] {
        probeRequested = true
        return tick(now: now)
    }
}
