/// A time of day in the city, "HH:MM" or "HH:MM:SS", as seconds after local midnight.
public struct TimeOfDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Seconds after midnight, 0 ..< 86,400.
    public let seconds: Int

    /// Parses "HH:MM" or "HH:MM:SS" (24-hour); nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ $0.count == 2 }),
              let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        let s = parts.count == 3 ? Int(parts[2]) : 0
        guard let s, (0..<60).contains(s) else { return nil }
        seconds = h * 3600 + m * 60 + s
    }

    /// The time `seconds` after midnight (clamped to the day).
    public init(seconds: Int) { self.seconds = min(max(seconds, 0), 86_399) }

    /// "HH:MM", or "HH:MM:SS" when the seconds are not zero.
    public var description: String {
        let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return s == 0 ? "\(two(h)):\(two(m))" : "\(two(h)):\(two(m)):\(two(s))"
    }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.seconds < rhs.seconds }
}
