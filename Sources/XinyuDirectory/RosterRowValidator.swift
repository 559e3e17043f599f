import XinyuPluginSDK
import XinyuCSV

/// Checks every row of a roster file before anything is written, collecting each problem
/// with its line and column instead of stopping at the first.
struct RosterRowValidator<Format: RosterFormat> {
    let table: CSVTable
    let columns: ResolvedColumns
    let snapshot: RosterSnapshot
    let today: CalendarDay

    /// What the check found: the rows that may be written, and the errors of the others.
    struct Outcome {
        var good: [Format.Record] = []
        var badRows = 0
        var errors = RowErrorList()
    }

    /// Optional fields the file has no column for: not checked against the directory, and
    /// kept as stored on existing rows.
    var absentFields: Set<String> {
        Set(Format.columns.filter { !$0.required && columns.index(of: $0.field) == nil }.map(\.field))
    }

    /// Checks every row; `progress` is called after each with the number done (it may throw
    /// to stop, e.g. when the call is cancelled).
    func run(progress: (Int) throws -> Void) throws -> Outcome {
        var outcome = Outcome()
        outcome.good.reserveCapacity(table.rows.count)
        var firstLine: [String: Int] = [:]
        let absent = absentFields
        for (index, row) in table.rows.enumerated() {
            let (record, problems) = try check(row, absent: absent, firstLine: &firstLine)
            if let record {
                outcome.good.append(record)
            } else {
                outcome.badRows += 1
                // In the file's column order, as a person reads the row.
                let ordered = problems.enumerated().sorted { a, b in
                    let (x, y) = (position(of: a.element.field), position(of: b.element.field))
                    return x != y ? x < y : a.offset < b.offset
                }.map(\.element)
                for problem in ordered {
                    let field = problem.field.isEmpty ? "" : columns.header(of: problem.field)
                    outcome.errors.add(line: row.line, field: field, problem: problem.problem)
                }
            }
            try progress(index + 1)
        }
        return outcome
    }

    /// Where a field's column is in the file; -1 for the whole row, last for a field without a column.
    private func position(of field: String) -> Int {
        field.isEmpty ? -1 : columns.index(of: field) ?? Int.max
    }

    /// The row's record when it is good, else its problems (field "" for the whole row).
    private func check(_ row: CSVRow, absent: Set<String>, firstLine: inout [String: Int]) throws -> (Format.Record?, [FieldProblem]) {
        if let shape = table.shapeProblem(of: row) {
            // The reader words it "line N: …"; the line travels separately in the report.
            let prefix = "line \(row.line): "
            return (nil, [FieldProblem("", shape.hasPrefix(prefix) ? String(shape.dropFirst(prefix.count)) : shape)])
        }
        var (record, problems) = Format.record(from: RosterValues(row: row, columns: columns), today: today)
        problems.merge(try Format.referenceProblems(record, snapshot, skipping: problems.fields.union(absent)))
        // Duplicates are judged on the key alone, whatever else is wrong with either line.
        let identity = Format.identity(record)
        if identity.fields.allSatisfy({ !problems.fields.contains($0) }) {
            if let first = firstLine[identity.key] {
                problems.add(identity.fields[0], "\(identity.label) is also on line \(first); keep one of the two lines")
            } else {
                firstLine[identity.key] = row.line
            }
        }
        return problems.isEmpty ? (record, []) : (nil, problems)
    }
}
