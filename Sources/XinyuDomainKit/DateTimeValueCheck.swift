/// Finds a date-time value whose time does not start with a digit (`1979-05-27T'7:32:00Z`),
/// before toml++ sees the text.
///
/// toml++ (vendored by TOMLKit) classifies a value by the characters it holds: one that begins
/// with a digit and holds '-', ':' and 'T' goes to its date-time parser, which reads the date
/// and then asserts that a digit follows the 'T' instead of reporting a parse error. Any build
/// with assertions (every debug build) aborted on such a typo (found by the `settings` fuzzer,
/// docs/FUZZING.md). Such a value is never valid TOML, so refusing it with the line changes
/// nothing else. The scan follows strings, comments, arrays and inline tables just far enough
/// to know where a value starts: after `=`, and after `[` or `,` inside an array.
enum DateTimeValueCheck {
    /// The 1-based line of the first such value, or nil when there is none.
    static func firstMalformedDateTimeLine(in text: String) -> Int? {
        let bytes = Array(text.utf8)
        var index = 0
        var line = 1
        // The open arrays ("[") and inline tables ("{"), innermost last.
        var open: [UInt8] = []
        var expectValue = false
        var atLineStart = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                line += 1; index += 1; atLineStart = true
                if open.isEmpty { expectValue = false }
                continue
            }
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                index += 1; continue
            }
            let startsLine = atLineStart
            atLineStart = false
            if startsLine && open.isEmpty && byte == UInt8(ascii: "[") {
                // A table header holds no value: skip to the end of its line.
                while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            }
            switch byte {
            case UInt8(ascii: "#"):
                while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                let (end, newlines) = TableHeaderCheck.skipString(bytes, from: index)
                line += newlines
                index = end
                expectValue = false
                continue
            case UInt8(ascii: "="):
                expectValue = true
            case UInt8(ascii: "["):
                open.append(byte)
                expectValue = true
            case UInt8(ascii: "{"):
                open.append(byte)
                expectValue = false
            case UInt8(ascii: ","):
                expectValue = open.last == UInt8(ascii: "[")
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                _ = open.popLast()
                expectValue = false
            case UInt8(ascii: "0")...UInt8(ascii: "9") where expectValue:
                var end = index
                while end < bytes.count && !endsValue(bytes[end]) { end += 1 }
                if timeMissing(bytes[index..<end]) { return line }
                index = end
                expectValue = false
                continue
            default:
                expectValue = false
            }
            index += 1
        }
        return nil
    }

    /// What ends a bare value for toml++: whitespace, `]`, `}`, `,` or `#`.
    private static func endsValue(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"),
             UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ","), UInt8(ascii: "#"):
            return true
        default:
            return false
        }
    }

    /// `YYYY-MM-DDT` (or `t`) not followed by a digit.
    private static func timeMissing(_ value: ArraySlice<UInt8>) -> Bool {
        let v = Array(value)
        guard v.count >= 11 else { return false }
        let digit = { (i: Int) in v[i] >= UInt8(ascii: "0") && v[i] <= UInt8(ascii: "9") }
        guard [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy(digit), v[4] == UInt8(ascii: "-"), v[7] == UInt8(ascii: "-"),
              v[10] == UInt8(ascii: "T") || v[10] == UInt8(ascii: "t") else { return false }
        return v.count == 11 || !digit(11)
    }
}
