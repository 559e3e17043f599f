import Foundation
import NIOConcurrencyHelpers

/// Calls per second per principal, as a token bucket: `burst` calls at once, refilled at
/// `callsPerSecond`. Over all of a principal's connections, since the key is the principal's id.
///
/// A refused call learns how long until its next call would be let in; the answer carries it
/// (RESOURCE_EXHAUSTED with the trailer `xinyu-retry-after-ms`).
final class PrincipalRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        /// Nanoseconds on the limiter's monotonic clock.
        var updated: UInt64
    }

    private let rate: Double
    private let burst: Double
    private let clock: @Sendable () -> UInt64
    private let buckets = NIOLockedValueBox<[String: Bucket]>([:])

    /// The limiter for `callsPerSecond` sustained and `burst` at once; nil when the rate is 0 (off).
    init?(callsPerSecond: Double, burst: Int, clock: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) {
        guard callsPerSecond > 0 else { return nil }
        self.rate = callsPerSecond
        self.burst = Double(max(1, burst))
        self.clock = clock
    }

    /// Takes one call from `principal`'s bucket: nil when it may go ahead, else how long until
    /// one call's worth has refilled.
    func take(_ principal: String) -> Duration? {
        let now = clock()
        return buckets.withLockedValue { buckets -> Duration? in
            var bucket = buckets[principal] ?? Bucket(tokens: burst, updated: now)
            let elapsed = Double(now &- bucket.updated) / 1e9
            bucket.tokens = min(burst, bucket.tokens + elapsed * rate)
            bucket.updated = now
            defer {
                buckets[principal] = bucket
                // Buckets that have refilled carry no information: drop them now and then, so a
                // host serving many principals keeps only the busy ones.
                if buckets.count > 10_000 { buckets = buckets.filter { $0.value.tokens < burst - 1 } }
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            let wait = (1 - bucket.tokens) / rate
            return .nanoseconds(Int64((wait * 1e9).rounded(.up)))
        }
    }

    /// The refusal's message and retry hint, for principal `id` who must wait `wait`.
    func refusal(for id: String, wait: Duration) -> (message: String, retryAfterMs: Int64) {
        let ms = max(1, Int64((Double(wait.components.seconds) * 1000 + Double(wait.components.attoseconds) / 1e15).rounded(.up)))
        let rateText = rate == rate.rounded() ? String(Int(rate)) : String(format: "%.2f", rate)
        return ("rate limit: \(id) may start \(rateText) calls per second (bursts of \(Int(burst))); retry after \(ms) ms", ms)
    }
}

/// Client connections open at once on one listener.
final class ConnectionLimiter: Sendable {
    let limit: Int
    private let open = NIOLockedValueBox(0)

    init(limit: Int) { self.limit = limit }

    /// Counts a new connection; false when the listener already has `limit` open (it is counted
    /// anyway, so that its close can release it the same way).
    func acquire() -> Bool {
        open.withLockedValue { count in
            count += 1
            return count <= limit
        }
    }

    func release() { open.withLockedValue { $0 -= 1 } }

    /// Connections open now, including any over the limit still being refused.
    var count: Int { open.withLockedValue { $0 } }
}
