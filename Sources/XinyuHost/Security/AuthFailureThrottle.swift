import Foundation
import NIOConcurrencyHelpers

/// Counts failed authentications per source and slows repeated failures down.
///
/// The first few failures answer at once (a mistyped token); after that each failure waits
/// longer before its answer, doubling up to a cap, which makes guessing tokens from one
/// address impractical without locking anyone out for good. Counts expire after `window`.
final class AuthFailureThrottle: Sendable {
    private struct Entry {
        var count: Int
        var last: Date
    }

    let freeFailures: Int
    let baseDelay: Duration
    let maxDelay: Duration
    let window: TimeInterval
    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    init(freeFailures: Int = 3, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(8), window: TimeInterval = 600) {
        self.freeFailures = freeFailures
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.window = window
    }

    /// Records a failure from `source`; returns how many there have been in the window and
    /// how long to wait before answering.
    func recordFailure(from source: String, now: Date = Date()) -> (count: Int, delay: Duration) {
        let count = entries.withLockedValue { entries -> Int in
            // Forget stale sources so the table cannot grow without bound.
            if entries.count > 10_000 { entries = entries.filter { now.timeIntervalSince($0.value.last) < window } }
            var entry = entries[source].flatMap { now.timeIntervalSince($0.last) < window ? $0 : nil } ?? Entry(count: 0, last: now)
            entry.count += 1
            entry.last = now
            entries[source] = entry
            return entry.count
        }
        return (count, delay(after: count))
    }

    /// A success forgives the source's earlier failures.
    func recordSuccess(from source: String) {
        _ = entries.withLockedValue { $0.removeValue(forKey: source) }
    }

    func delay(after failures: Int) -> Duration {
        guard failures > freeFailures else { return .zero }
        let exponent = min(failures - freeFailures - 1, 16)
        return min(baseDelay * (1 << exponent), maxDelay)
    }
}
