/// The RFC 4180 state machine, run over UTF-8 bytes.
///
/// Working on bytes rather than `Character`s keeps 200,000-row files well
/// under a second: every byte that matters (`,` `"` CR LF space) is ASCII,
/// and ASCII bytes never occur inside a multi-byte UTF-8 character.
/// It is lenient where Excel is lenient (a `"` inside an unquoted field is
/// literal; text after a closing quote is kept) and strict only where data
/// would otherwise be silently lost (a quote that never closes).
struct CSVParser {
    private static let comma: UInt8 = 0x2C
    private static let quote: UInt8 = 0x22
    private static let space: UInt8 = 0x20
    private static let tab: UInt8 = 0x09
    private static let cr = LineBreaks.cr
    private static let lf = LineBreaks.lf

    /// Fields kept per row; wider rows are counted but not stored, so a hostile
    /// line of a million commas cannot exhaust memory.
    let maxFields: Int

    /// Parses every non-blank row, including the header, with its starting line.
    func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<[CSVRow], CSVError> {
        let count = bytes.count
        var rows: [CSVRow] = []
        var fields: [String] = []
        var fieldCount = 0
        var rowIsBlank = true
        var line = 1
        var rowLine = 1
        var scratch: [UInt8] = []
        var index = 0

        while true {
            // One field starts at `index`. Leading blanks never matter.
            var start = index
            while start < count, bytes[start] == Self.space || bytes[start] == Self.tab { start += 1 }

            let value: String
            if start < count, bytes[start] == Self.quote {
                let quoteLine = line
                scratch.removeAll(keepingCapacity: true)
                var cursor = start + 1
                var segment = cursor
                var closed = false
                while cursor < count {
                    let byte = bytes[cursor]
                    if byte == Self.quote {
                        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segment..<cursor]))
                        if cursor + 1 < count, bytes[cursor + 1] == Self.quote {
                            scratch.append(Self.quote)
                            cursor += 2
                            segment = cursor
                            continue
                        }
                        cursor += 1
                        closed = true
                        break
                    }
                    if byte == Self.lf || byte == Self.cr {
                        // Embedded line break: kept verbatim, but counted.
                        if byte == Self.cr, cursor + 1 < count, bytes[cursor + 1] == Self.lf { cursor += 1 }
                        line += 1
                    }
                    cursor += 1
                }
                guard closed else { return .failure(.unterminatedQuote(line: quoteLine)) }
                // Anything between the closing quote and the separator is kept,
                // as Excel does, minus surrounding blanks.
                let tailStart = cursor
                while cursor < count, !Self.endsField(bytes[cursor]) { cursor += 1 }
                let tail = Self.trimmed(bytes, tailStart..<cursor)
                if !tail.isEmpty { scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[tail])) }
                value = String(decoding: scratch, as: UTF8.self)
                index = cursor
            } else {
                var cursor = start
                while cursor < count, !Self.endsField(bytes[cursor]) { cursor += 1 }
                let range = Self.trimmed(bytes, start..<cursor)
                value = range.isEmpty ? "" : String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                index = cursor
            }

            fieldCount += 1
            if fields.count < maxFields { fields.append(value) }
            if !value.isEmpty { rowIsBlank = false }

            if index < count, bytes[index] == Self.comma {
                index += 1
                continue
            }

            // End of row: a line break or the end of the input.
            if !rowIsBlank {
                rows.append(CSVRow(line: rowLine, fields: fields, foundFieldCount: fieldCount))
            }
            if index >= count { break }
            index += (bytes[index] == Self.cr && index + 1 < count && bytes[index + 1] == Self.lf) ? 2 : 1
            line += 1
            if index >= count { break }  // a trailing line break ends the file, not a new row
            rowLine = line
            fields.removeAll(keepingCapacity: true)
            fieldCount = 0
            rowIsBlank = true
        }
        return .success(rows)
    }

    @inline(__always)
    private static func endsField(_ byte: UInt8) -> Bool {
        byte == comma || byte == lf || byte == cr
    }

    /// `range` without leading and trailing ASCII spaces and tabs.
    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, bytes[lower] == space || bytes[lower] == tab { lower += 1 }
        while upper > lower, bytes[upper - 1] == space || bytes[upper - 1] == tab { upper -= 1 }
        return lower..<upper
    }
}
