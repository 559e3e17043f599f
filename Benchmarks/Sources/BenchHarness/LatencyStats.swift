import Histogram

/// What one workload measured: how many calls, over how long, and their latency distribution.
public struct LatencyStats: Sendable, Codable {
    /// Calls that succeeded.
    public var calls: UInt64
    /// Calls that failed (any status but OK).
    public var errors: UInt64
    /// Wall time of the measured window, in seconds.
    public var seconds: Double
    /// Latency percentiles in microseconds.
    public var p50: Double, p99: Double, p999: Double, max: Double

    /// Calls per second.
    public var throughput: Double { seconds > 0 ? Double(calls) / seconds : 0 }

    /// Summarises a histogram of nanoseconds.
    public init(histogram: Histogram<UInt64>, errors: UInt64, seconds: Double) {
        calls = histogram.totalCount
        self.errors = errors
        self.seconds = seconds
        p50 = Double(histogram.valueAtPercentile(50)) / 1000
        p99 = Double(histogram.valueAtPercentile(99)) / 1000
        p999 = Double(histogram.valueAtPercentile(99.9)) / 1000
        max = Double(histogram.max) / 1000
    }

    /// An empty histogram for call latencies in nanoseconds, 1 ns to 100 s, 3 significant digits.
    public static func histogram() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 100_000_000_000, numberOfSignificantValueDigits: .three)
    }
}
