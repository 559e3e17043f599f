import Foundation
import Histogram

/// Closed-loop load: C connections, M calls in flight on each, for a fixed time.
///
/// Each in-flight slot is a task that calls, waits for the answer, records the latency and
/// calls again. The first `warmup` is run but not recorded (connections, caches, JIT-free but
/// page-cache warm). Latencies are recorded per task and merged at the end, so recording
/// never contends.
public enum LoadRunner {
    /// Runs the load and returns its statistics.
    /// - Parameters:
    ///   - connect: opens one connection (called C times, before the clock starts).
    ///   - call: one call on a connection; `n` counts calls per slot, for choosing keys.
    public static func run<Connection: Sendable>(
        connections: Int, inFlight: Int, duration: Double, warmup: Double,
        connect: @Sendable () async throws -> Connection,
        call: @escaping @Sendable (Connection, _ slot: Int, _ n: Int) async throws -> Void,
        close: @Sendable (Connection) async -> Void
    ) async throws -> LatencyStats {
        var opened: [Connection] = []
        for _ in 0..<connections { opened.append(try await connect()) }
        let start = DispatchTime.now().uptimeNanoseconds
        let recordFrom = start + UInt64(warmup * 1e9)
        let stopAt = recordFrom + UInt64(duration * 1e9)
        let results = await withTaskGroup(of: (Histogram<UInt64>, UInt64).self) { group in
            for (c, connection) in opened.enumerated() {
                for m in 0..<inFlight {
                    let slot = c * inFlight + m
                    group.addTask {
                        var histogram = LatencyStats.histogram()
                        var errors: UInt64 = 0
                        var n = 0
                        while true {
                            let t0 = DispatchTime.now().uptimeNanoseconds
                            if t0 >= stopAt { break }
                            var failed = false
                            do { try await call(connection, slot, n) } catch { failed = true }
                            let t1 = DispatchTime.now().uptimeNanoseconds
                            n += 1
                            if t0 >= recordFrom {
                                if failed { errors += 1 } else { _ = histogram.record(t1 - t0) }
                            }
                        }
                        return (histogram, errors)
                    }
                }
            }
            var merged = LatencyStats.histogram()
            var errors: UInt64 = 0
            for await (h, e) in group {
                merged.add(h)
                errors += e
            }
            return (merged, errors)
        }
        let end = DispatchTime.now().uptimeNanoseconds
        for connection in opened { await close(connection) }
        // The window is from the end of warm-up to when the last call came back.
        let seconds = Double(end - min(recordFrom, end)) / 1e9
        return LatencyStats(histogram: results.0, errors: results.1, seconds: seconds)
    }
}
