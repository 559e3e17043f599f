/// Finds a table header whose key does not start as TOML allows, before toml++ sees the text.
///
/// toml++ (vendored by TOMLKit) asserts on a header such as `[!]` or `[é]` instead of reporting a
/// parse error, which aborts any build with assertions (found by the `settings` fuzzer,
/// docs/FUZZING.md). Settings files are edited by hand, so a one-character typo must be an error
/// naming the line, never a crash. The scan follows strings, comments and brackets just far
/// enough to know where a line can start a header: at depth 0, outside any string.
enum TableHeaderCheck {
    /// The 1-based line of the first malformed header, or nil when every header starts well.
    static func firstMalformedHeaderLine(in text: String) -> Int? {
        let bytes = Array(text.utf8)
        // toml++ skips a UTF-8 byte order mark (Notepad writes one), so the first line starts after it.
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        var depth = 0
        var atLineStart = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                line += 1; index += 1; atLineStart = true; continue
            }
            if atLineStart && (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")) {
                index += 1; continue
            }
            let startsLine = atLineStart
            atLineStart = false
            if startsLine && depth == 0 && byte == UInt8(ascii: "[") {
                var cursor = index + 1
                if cursor < bytes.count && bytes[cursor] == UInt8(ascii: "[") { cursor += 1 }
                while cursor < bytes.count && (bytes[cursor] == UInt8(ascii: " ") || bytes[cursor] == UInt8(ascii: "\t")) { cursor += 1 }
                guard cursor < bytes.count, startsKey(bytes[cursor]) else { return line }
                // The rest of the header line holds no value: skip to its end.
                while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            }
            switch byte {
            case UInt8(ascii: "#"):
                while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                let (end, newlines) = skipString(bytes, from: index)
                line += newlines
                index = end
                continue
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// A bare-key character (A–Z a–z 0–9 _ -) or a quote.
    private static func startsKey(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"),
             UInt8(ascii: "\""), UInt8(ascii: "'"):
            return true
        default:
            return false
        }
    }

    /// Skips a basic, literal or multi-line string starting at `start`; returns the index after
    /// it and the newlines inside. An unterminated string runs to the end (toml++ reports it).
    static func skipString(_ bytes: [UInt8], from start: Int) -> (Int, Int) {
        let quote = bytes[start]
        let literal = quote == UInt8(ascii: "'")
        let multiLine = start + 2 < bytes.count && bytes[start + 1] == quote && bytes[start + 2] == quote
        var index = start + (multiLine ? 3 : 1)
        var newlines = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") && !literal { index += 2; continue }
            if byte == UInt8(ascii: "\n") {
                newlines += 1
                if !multiLine { return (index, newlines - 1) }
            }
            if byte == quote {
                if !multiLine { return (index + 1, newlines) }
                if index + 2 < bytes.count && bytes[index + 1] == quote && bytes[index + 2] == quote {
                    var end = index + 3
                    // Up to two more quotes may close a multi-line string ("""a"""" is legal).
                    while end < bytes.count && bytes[end] == quote && end < index + 5 { end += 1 }
                    return (end, newlines)
                }
            }
            index += 1
        }
        return (index, newlines)
    }
}
