/// Finds, before toml++ sees the text, a value start that toml++ asserts on instead of
/// reporting a parse error, which aborts any build with assertions (every debug build: tests,
/// CI). All three were found by the `settings` fuzzer (docs/FUZZING.md):
///
/// - a date-time whose 'T' is not followed by a digit (`1979-05-27T'7:32:00Z`): toml++ picks its
///   date-time parser from the characters a value holds, reads the date and then asserts that a
///   digit follows;
/// - a `}` where an array expects a value (`x = [ } ]`, `{ z = [ }`): its array parser hands
///   the `}` to the value parser, which asserts it is not a value terminator;
/// - a date followed by a space and a single digit (`d = 2000-01-01 1`): toml++ reads past the
///   space for a time and asserts that the digit does not end the value.
///
/// None is ever valid TOML, so refusing them with the line changes nothing else. Settings
/// files are edited by hand: a typo must be an error naming the line, never a crash. The scan
/// follows strings, comments, arrays and inline tables just far enough to know where a value
/// starts: after `=`, and after `[` or `,` inside an array.
enum ValueStartCheck {
    /// The 1-based line of the first such value and what is wrong there, or nil when there is none.
    static func firstProblem(in text: String) -> (line: Int, problem: String)? {
        let bytes = Array(text.utf8)
        // toml++ skips a UTF-8 byte order mark (Notepad writes one), so the first line starts after it.
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
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
            case UInt8(ascii: "}") where expectValue && open.last == UInt8(ascii: "["):
                return (line, "an array holds a '}' where a value or ']' should be")
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                _ = open.popLast()
                expectValue = false
            case UInt8(ascii: "0")...UInt8(ascii: "9") where expectValue:
                var end = index
                while end < bytes.count && !endsValue(bytes[end]) { end += 1 }
                if timeMissing(bytes[index..<end]) { return (line, "a date-time's time must follow the 'T' as HH:MM:SS") }
                if strayDigitAfterDate(bytes, start: index, end: end) {
                    return (line, "a date may be followed by a time (HH:MM:SS) after a space, not by a single digit")
                }
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

    /// A date-shaped value (ten characters besides '_', '-' fifth and eighth) followed by a space,
    /// one digit and the end of the value or text: toml++ reads on past the space for a time,
    /// then asserts that the digit is not the end of the value.
    private static func strayDigitAfterDate(_ bytes: [UInt8], start: Int, end: Int) -> Bool {
        // At the end of the text toml++ reports an error instead; such a value is never valid anyway.
        guard end + 1 < bytes.count, bytes[end] == UInt8(ascii: " "),
              bytes[end + 1] >= UInt8(ascii: "0"), bytes[end + 1] <= UInt8(ascii: "9"),
              end + 2 == bytes.count || endsValue(bytes[end + 2]) else { return false }
        let scalars = Array(String(decoding: bytes[start..<end], as: UTF8.self).unicodeScalars.filter { $0 != "_" })
        return scalars.count == 10 && scalars[4] == "-" && scalars[7] == "-"
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
