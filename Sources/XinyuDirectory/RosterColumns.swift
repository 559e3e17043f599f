import XinyuCSV
import XinyuWire

/// One field of a roster file: the header names it may go by, whether it must be present, and
/// which existing rows its values refer to (fetched once, before the rows are checked).
struct RosterColumn: Sendable {
    /// The proto field name, e.g. "birth_date".
    let field: String
    /// Accepted header names, best first. Matching ignores case, spaces, '_' and '-'. When a
    /// file has several (学籍 exports carry both 学籍号 and 学号), the first in this list wins.
    let aliases: [String]
    let required: Bool
    let references: RosterReference?

    init(_ field: String, _ aliases: [String], required: Bool = true, references: RosterReference? = nil) {
        self.field = field
        self.aliases = aliases
        self.required = required
        self.references = references
    }
}

/// What a column's values point at in the directory, so the importer can fetch those rows.
enum RosterReference: Sendable, Hashable {
    case school, schoolClass, student, staff
    /// National student numbers (全国学籍号), which belong to at most one student.
    case nationalStudentID
    /// The file's own classes, which may not move school while they have students.
    case classMoves
    /// The file's own staff, who may not leave the school of a class they are homeroom teacher of.
    case staffMoves
}

/// Where each field is in one file's header.
struct ResolvedColumns: Sendable {
    private let indexByField: [String: Int]
    private let headerByField: [String: String]
    let columns: [RosterColumn]

    /// Finds every column in `table`'s header; INVALID_ARGUMENT naming the missing required ones.
    init(_ columns: [RosterColumn], in table: CSVTable, kind: String) throws {
        var indexByField: [String: Int] = [:]
        var headerByField: [String: String] = [:]
        var missing: [RosterColumn] = []
        for column in columns {
            if let index = column.aliases.lazy.compactMap({ table.column($0) }).first {
                indexByField[column.field] = index
                headerByField[column.field] = table.header[index]
            } else if column.required {
                missing.append(column)
            }
        }
        guard missing.isEmpty else {
            let wanted = missing.map { "\($0.field) (name it \($0.aliases.joined(separator: " or ")))" }.joined(separator: "; ")
            throw RPCError.invalidField("csv", "a \(kind) file needs a column for \(wanted); the file's header is: \(table.header.joined(separator: ", "))")
        }
        self.indexByField = indexByField
        self.headerByField = headerByField
        self.columns = columns
    }

    /// The column index of a field, nil when the file has no such column.
    func index(of field: String) -> Int? { indexByField[field] }

    /// The header to name in a row error: the file's own column title, so a person finds it in
    /// Excel; the field name when the file has no such column.
    func header(of field: String) -> String { headerByField[field] ?? field }
}

/// One row's values by field name, trimmed; "" for a missing column or a short row.
struct RosterValues {
    let row: CSVRow
    let columns: ResolvedColumns

    subscript(_ field: String) -> String {
        guard let index = columns.index(of: field), let value = row[index] else { return "" }
        return FieldRules.trimmed(value)
    }
}
