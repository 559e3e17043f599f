import XinyuDomainKit

/// Cross-checks (对撞) the warning list with a file from the provincial health data.
public enum CrossCheck {
    /// Accepted header names per column (matched ignoring case, spaces, "_" and "-").
    static let nationalIDHeaders = ["学籍号/national_student_id", "学籍号", "national_student_id"]
    static let nameHeaders = ["姓名/name", "姓名", "name"]
    static let birthDateHeaders = ["出生日期/birth_date", "出生日期", "birth_date"]
    static let categoryHeaders = ["诊断类别/category", "诊断类别", "category", "diagnosis_category"]

    /// Parses a health data CSV strictly.
    ///
    /// Columns: 学籍号/national_student_id, 姓名/name, 出生日期/birth_date
    /// (each header may be the Chinese name, the English name, or both as
    /// exported), optional 诊断类别/category; other columns are ignored. RFC 4180
    /// quoting, a UTF-8 BOM is stripped (GBK is also accepted). Every row needs a name and a
    /// real birth date (YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD, stored as YYYY-MM-DD);
    /// the national id may be empty but not repeated. Throws `CrossCheckError`
    /// naming the first bad line and column.
    public static func parseHealthFile(_ text: String) throws -> [HealthRecord] {
        let table: CSVTable
        do {
            table = try CSVReader().read(Array(text.utf8))
        } catch {
            throw CrossCheckError(line: error.line ?? 1, column: "", problem: error.description)
        }
        func column(_ names: [String], required: Bool) throws(CrossCheckError) -> Int? {
            if let index = names.lazy.compactMap({ table.column($0) }).first { return index }
            guard !required else {
                throw CrossCheckError(line: 1, column: names[0], problem: "the header has no such column (accepted names: \(names.joined(separator: ", ")))")
            }
            return nil
        }
        let idColumn = try column(nationalIDHeaders, required: true)!
        let nameColumn = try column(nameHeaders, required: true)!
        let birthColumn = try column(birthDateHeaders, required: true)!
        let categoryColumn = try column(categoryHeaders, required: false)

        var records: [HealthRecord] = []
        var lineByID: [String: Int] = [:]
        for row in table.rows {
            if let problem = table.shapeProblem(of: row) {
                // shapeProblem already starts with "line N: ".
                throw CrossCheckError(line: row.line, column: "", problem: String(problem.drop { $0 != ":" }.dropFirst(2)))
            }
            let id = row[idColumn] ?? ""
            let name = row[nameColumn] ?? ""
            let rawBirth = row[birthColumn] ?? ""
            guard !name.isEmpty else {
                throw CrossCheckError(line: row.line, column: table.header[nameColumn], problem: "the name is empty")
            }
            guard let birth = normalizedDate(rawBirth) else {
                throw CrossCheckError(
                    line: row.line, column: table.header[birthColumn],
                    problem: "\"\(rawBirth)\" is not a real date (write YYYY-MM-DD)"
                )
            }
            if !id.isEmpty {
                if let first = lineByID[id] {
                    throw CrossCheckError(line: row.line, column: table.header[idColumn], problem: "\(id) is already on line \(first)")
                }
                lineByID[id] = row.line
            }
            let category = categoryColumn.flatMap { row[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            records.append(HealthRecord(nationalStudentID: id, name: name, birthDate: birth.description, diagnosisCategory: category, line: row.line))
        }
        return records
    }

    /// Pairs warning rows with health records.
    ///
    /// First by national student id where the warning row has one; then, for
    /// rows still unmatched, by exact name + birth date, but only when one side
    /// has no national id (two different ids are two different students, even
    /// with the same name and birthday). Each health record pairs at most once.
    public static func compare(warning: [WarningExportRow], health: [HealthRecord]) -> CrossCheckReport {
        var healthUsed = Array(repeating: false, count: health.count)
        var indexByID: [String: Int] = [:]
        for (index, record) in health.enumerated() where !record.nationalStudentID.isEmpty {
            if indexByID[record.nationalStudentID] == nil { indexByID[record.nationalStudentID] = index }
        }
        var matchByRow: [Int: CrossCheckMatch] = [:]
        for (rowIndex, row) in warning.enumerated() where !row.nationalStudentID.isEmpty {
            guard let index = indexByID[row.nationalStudentID], !healthUsed[index] else { continue }
            healthUsed[index] = true
            matchByRow[rowIndex] = CrossCheckMatch(
                studentID: row.studentID, nationalStudentID: row.nationalStudentID,
                method: .nationalStudentID, diagnosisCategory: health[index].diagnosisCategory
            )
        }
        for (rowIndex, row) in warning.enumerated() where matchByRow[rowIndex] == nil {
            let birth = normalizedDate(row.birthDate)?.description ?? row.birthDate
            let name = trimmed(row.name)
            let found = health.indices.first { index in
                let record = health[index]
                return !healthUsed[index]
                    && (row.nationalStudentID.isEmpty || record.nationalStudentID.isEmpty)
                    && trimmed(record.name) == name && record.birthDate == birth
            }
            guard let index = found else { continue }
            healthUsed[index] = true
            let nationalID = row.nationalStudentID.isEmpty ? health[index].nationalStudentID : row.nationalStudentID
            matchByRow[rowIndex] = CrossCheckMatch(
                studentID: row.studentID, nationalStudentID: nationalID,
                method: .nameAndBirthDate, diagnosisCategory: health[index].diagnosisCategory
            )
        }
        let matched = warning.indices.compactMap { matchByRow[$0] }
        let warningOnly = warning.indices.filter { matchByRow[$0] == nil }.map { warning[$0] }
        let healthOnly = health.indices.filter { !healthUsed[$0] }.map { health[$0] }
        let byName = matched.filter { $0.method == .nameAndBirthDate }.count
        let summary = "对撞 cross-check: \(warning.count) warning rows, \(health.count) health records; "
            + "\(matched.count) matched (\(byName) by name + birth date, please verify), "
            + "\(healthOnly.count) health-only, \(warningOnly.count) warning-only"
        return CrossCheckReport(matched: matched, healthOnly: healthOnly, warningOnly: warningOnly, summary: summary)
    }

    /// A real date from "YYYY-MM-DD", "YYYY/MM/DD", "YYYY.MM.DD" or "YYYYMMDD".
    static func normalizedDate(_ text: String) -> CalendarDay? {
        let value = trimmed(text)
        if value.utf8.count == 8, value.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            let digits = Array(value)
            return CalendarDay(String(digits[0..<4]) + "-" + String(digits[4..<6]) + "-" + String(digits[6..<8]))
        }
        return CalendarDay(String(value.map { $0 == "/" || $0 == "." ? "-" : $0 }))
    }

    static func trimmed(_ text: String) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
              let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(text[first...last])
    }
}

extension CSVError {
    /// The line the error names, if any.
    var line: Int? {
        switch self {
        case .undecodable(let line), .unterminatedQuote(let line): return line
        case .empty, .duplicateHeader, .emptyHeader, .tooLarge, .tooManyColumns: return nil
        }
    }
}
