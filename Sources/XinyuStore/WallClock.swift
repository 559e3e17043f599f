import Foundation

/// The time stamps the store writes (milliseconds since 1970, UTC).
enum WallClock {
    /// Now, in whole milliseconds. Used for bookkeeping and retention only,
    /// never for ordering: ids order events, because wall clocks can step backwards.
    static func nowMs() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
