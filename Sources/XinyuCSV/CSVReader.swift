/// Reads an uploaded CSV file into a `CSVTable`, safely.
///
/// Files come from people and from Excel, sometimes from attackers: the reader
/// bounds the input size and the fields kept per row, never traps on bad
/// bytes, and turns every whole-file problem into a `CSVError` naming a line.
public struct CSVReader: Sendable {
    /// Largest accepted file, in bytes, checked before any decoding work.
    public let maxBytes: Int
    /// Most fields kept per row (and allowed in the header).
    public let maxFields: Int

    /// Creates a reader. The defaults (64 MiB, 256 fields) are far above any
    /// real roster and low enough that a hostile upload cannot exhaust memory.
    public init(maxBytes: Int = 64 << 20, maxFields: Int = 256) {
        self.maxBytes = max(0, maxBytes)
        self.maxFields = max(1, maxFields)
    }

    /// Decodes and parses.
    ///
    /// RFC 4180: comma separator, double-quote quoting with `""` escapes, fields
    /// may contain newlines (the row's line is where it starts; line counting
    /// continues correctly after embedded newlines), CRLF or LF or lone CR line
    /// ends, trailing newline optional. Trims nothing inside quoted fields; trims
    /// surrounding ASCII spaces (and tabs) of unquoted fields. The first non-blank
    /// row is the header; rows whose fields are all empty (blank lines, or Excel's
    /// `,,,,` filler rows) are skipped. A row with more fields than `maxFields`
    /// keeps only the first `maxFields` and is reported by `shapeProblem(of:)`;
    /// a file larger than `maxBytes` throws `tooLarge`. Never traps on any input.
    public func read(_ bytes: [UInt8]) throws(CSVError) -> CSVTable {
        guard bytes.count <= maxBytes else { throw .tooLarge(bytes: bytes.count, limit: maxBytes) }
        let decoded = try TextDecoder.decode(bytes)

        var text = decoded.text
        let parser = CSVParser(maxFields: maxFields)
        var rows = try text.withUTF8 { parser.parse($0) }.get()
        guard !rows.isEmpty else { throw .empty }

        let headerRow = rows.removeFirst()
        guard headerRow.foundFieldCount <= maxFields else {
            throw .tooManyColumns(count: headerRow.foundFieldCount, limit: maxFields)
        }
        let header = headerRow.fields.map(HeaderKey.trim)
        var seen = Set<String>()
        for (position, name) in header.enumerated() {
            guard !name.isEmpty else { throw .emptyHeader(column: position + 1) }
            guard seen.insert(HeaderKey.normalize(name)).inserted else { throw .duplicateHeader(name: name) }
        }
        return CSVTable(header: header, rows: rows, encoding: decoded.encoding)
    }
}
