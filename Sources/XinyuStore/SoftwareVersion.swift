/// A dotted release number such as "0.1.0" or "1.2.0-rc1", compared part by part as numbers.
///
/// A suffix after '-' or '+' is kept for display but ignored when comparing: what matters for a
/// database is which release line's migrations wrote it.
public struct SoftwareVersion: Sendable, Comparable, CustomStringConvertible {
    /// The text as given.
    public let text: String
    /// The numeric parts before any suffix; a part that is not a number counts as 0.
    public let parts: [Int]

    /// Parses `text`; never fails (see the type's note on what is compared).
    public init(_ text: String) {
        self.text = text
        let core = text.split(whereSeparator: { $0 == "-" || $0 == "+" }).first.map(String.init) ?? ""
        parts = core.split(separator: ".").map { Int($0) ?? 0 }
    }

    /// The text as given.
    public var description: String { text }

    public static func < (lhs: SoftwareVersion, rhs: SoftwareVersion) -> Bool {
        let count = max(lhs.parts.count, rhs.parts.count)
        for index in 0..<count {
            let a = index < lhs.parts.count ? lhs.parts[index] : 0
            let b = index < rhs.parts.count ? rhs.parts[index] : 0
            if a != b { return a < b }
        }
        return false
    }

    public static func == (lhs: SoftwareVersion, rhs: SoftwareVersion) -> Bool {
        !(lhs < rhs) && !(rhs < lhs)
    }
}
