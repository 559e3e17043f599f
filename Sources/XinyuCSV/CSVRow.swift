/// One data row of a CSV file, remembering where it came from.
///
/// The line number is what makes a validation message useful ("line 14: ...");
/// a row spanning several lines (a quoted field with newlines) reports the line
/// it starts on, which is where a person will look for it.
public struct CSVRow: Sendable {
    /// 1-based line number in the file where the row starts (the header is line 1).
    public let line: Int
    /// The row's fields, in file order; at most the reader's `maxFields` are kept.
    public let fields: [String]
    /// How many fields the row really had, which exceeds `fields.count` when the
    /// row was wider than `maxFields` and the rest were dropped to bound memory.
    let foundFieldCount: Int

    init(line: Int, fields: [String], foundFieldCount: Int) {
        self.line = line
        self.fields = fields
        self.foundFieldCount = foundFieldCount
    }

    /// The field at `index`, or nil if the row is too short, so callers can
    /// validate short rows without bounds checks of their own.
    public subscript(_ index: Int) -> String? {
        fields.indices.contains(index) ? fields[index] : nil
    }
}
