import Foundation

/// The time stamps the directory writes into `updated_at_ms`.
enum DirectoryClock {
    /// Now, in whole milliseconds since 1970 (UTC).
    static func nowMs() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
