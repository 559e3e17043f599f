import XinyuDomainKit
import Foundation

/// Renders the warning list for the provincial crisis warning and intervention
/// platform (省危机预警干预平台). The formats are documented in docs/CRISIS-EXPORT.md;
/// change them only together with that document and the format version.
public enum ProvincialExport {
    /// The JSON format identifier; bump the number on any incompatible change.
    public static let jsonFormat = "xinyu.crisis.provincial-export/2"

    /// One exported column: its bilingual CSV header, JSON key and value.
    struct Column: Sendable {
        let header: String
        let key: String
        let value: @Sendable (WarningExportRow) -> String
    }

    /// Column order is part of the format.
    static let columns: [Column] = [
        Column(header: "学号/student_id", key: "student_id") { $0.studentID },
        Column(header: "学籍号/national_student_id", key: "national_student_id") { $0.nationalStudentID },
        Column(header: "姓名/name", key: "name") { $0.name },
        Column(header: "性别/gender", key: "gender") { $0.gender },
        Column(header: "出生日期/birth_date", key: "birth_date") { $0.birthDate },
        Column(header: "学校代码/school_id", key: "school_id") { $0.schoolID },
        Column(header: "学校名称/school_name", key: "school_name") { $0.schoolName },
        Column(header: "班级/class_id", key: "class_id") { $0.classID },
        Column(header: "预警等级/level", key: "level") { String($0.level) },
        Column(header: "预警起始日期/since", key: "since") { $0.since },
        Column(header: "预警原因/reason", key: "reason") { $0.reason },
        Column(header: "责任人/case_owner", key: "case_owner") { $0.caseOwner },
        Column(header: "方案状态/plan_status", key: "plan_status") { $0.planStatus },
        Column(header: "期内变动/change", key: "change") { $0.change },
    ]

    /// Renders `rows` in the order given (the caller selects and sorts them).
    ///
    /// CSV: UTF-8 with a BOM (so Excel and WPS in China open it as UTF-8), CRLF
    /// line ends, a bilingual header row, RFC 4180 quoting; the metadata
    /// (`generatedAt`, `scope`, `from`, `to`) is not in the CSV, which must stay
    /// a plain table for upload: use `fileName` to carry it. A cell starting with
    /// `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so a spreadsheet never runs it
    /// as a formula. JSON: an object with the format id, the metadata and `rows`,
    /// keys in the documented order, non-ASCII text as UTF-8.
    public static func render(
        _ rows: [WarningExportRow], format: ProvincialExportFormat, generatedAt: String,
        scope: String, from: CalendarDay, to: CalendarDay
    ) -> String {
        switch format {
        case .csv: return renderCSV(rows)
        case .json: return renderJSON(rows, generatedAt: generatedAt, scope: scope, from: from, to: to)
        }
    }

    /// A suggested file name, e.g. "crisis-warnings_city_2024-09-01_2024-12-31.csv";
    /// characters other than letters, digits, "-" and "_" in the scope become "_".
    public static func fileName(format: ProvincialExportFormat, scope: String, from: CalendarDay, to: CalendarDay) -> String {
        let safeScope = String(scope.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
        return "crisis-warnings_\(safeScope)_\(from)_\(to).\(format.rawValue)"
    }

    static func renderCSV(_ rows: [WarningExportRow]) -> String {
        var out = "\u{FEFF}"
        out += columns.map { csvField($0.header) }.joined(separator: ",") + "\r\n"
        for row in rows {
            out += columns.map { csvField(defuseFormula($0.value(row))) }.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// RFC 4180: quote when the field holds a comma, quote, line break, or
    /// surrounding spaces (which readers may trim); double inner quotes.
    static func csvField(_ text: String) -> String {
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || text.first == " " || text.last == " "
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func defuseFormula(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }

    static func renderJSON(_ rows: [WarningExportRow], generatedAt: String, scope: String, from: CalendarDay, to: CalendarDay) -> String {
        var out = "{\n"
        out += "  \"format\": \(jsonString(jsonFormat)),\n"
        out += "  \"generated_at\": \(jsonString(generatedAt)),\n"
        out += "  \"scope\": \(jsonString(scope)),\n"
        out += "  \"from\": \(jsonString(from.description)),\n"
        out += "  \"to\": \(jsonString(to.description)),\n"
        out += "  \"row_count\": \(rows.count),\n"
        out += "  \"rows\": ["
        for (index, row) in rows.enumerated() {
            let members = columns.map { column in
                let value = column.key == "level" ? String(row.level) : jsonString(column.value(row))
                return "\(jsonString(column.key)): \(value)"
            }
            out += (index == 0 ? "\n" : ",\n") + "    {" + members.joined(separator: ", ") + "}"
        }
        out += rows.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }

    /// A JSON string literal (RFC 8259): escapes quote, backslash and control characters.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
