import Foundation
import XinyuDomainKit

/// One row of a certificate import, read and checked without the database: the staff id, the
/// level (C/B, also "C证"/"B证"), the number and the days. Problems name the column.
public struct CertificateRow: Sendable, Equatable {
    /// 1-based line in the file.
    public let line: Int
    public let staffID: String
    /// "C" or "B".
    public let level: String
    public let number: String
    public let issuedOn: CalendarDay?
    public let expiresOn: CalendarDay?
    /// (column, problem) pairs found reading the row.
    public let problems: [CertificateRowProblem]

    /// The header names each column may have (first is the documented one).
    public static let columnNames: [String: [String]] = [
        "staff_id": ["staff_id", "工号", "教职工编号"],
        "level": ["level", "等级", "证书等级"],
        "number": ["number", "证书编号", "编号"],
        "issued_on": ["issued_on", "发证日期"],
        "expires_on": ["expires_on", "有效期至"],
    ]

    /// Reads a row given each column's value ("" when absent or empty).
    public init(line: Int, values: [String: String], shapeProblem: String?) {
        self.line = line
        var problems: [CertificateRowProblem] = []
        if let shapeProblem { problems.append(CertificateRowProblem(field: "row", problem: shapeProblem)) }
        func value(_ column: String) -> String { (values[column] ?? "").trimmingCharacters(in: .whitespaces) }
        staffID = value("staff_id")
        if staffID.isEmpty { problems.append(CertificateRowProblem(field: "staff_id", problem: "is required")) }
        let rawLevel = value("level").uppercased().replacingOccurrences(of: "证", with: "")
        if rawLevel == "C" || rawLevel == "B" {
            level = rawLevel
        } else {
            level = ""
            problems.append(CertificateRowProblem(field: "level", problem: "\"\(value("level"))\" is not C or B"))
        }
        number = value("number")
        if number.isEmpty { problems.append(CertificateRowProblem(field: "number", problem: "is required")) }
        issuedOn = Self.day(value("issued_on"), column: "issued_on", required: true, problems: &problems)
        expiresOn = Self.day(value("expires_on"), column: "expires_on", required: false, problems: &problems)
        if let issuedOn, let expiresOn, expiresOn < issuedOn {
            problems.append(CertificateRowProblem(field: "expires_on", problem: "\(expiresOn) is before issued_on \(issuedOn)"))
        }
        self.problems = problems
    }

    static func day(_ text: String, column: String, required: Bool, problems: inout [CertificateRowProblem]) -> CalendarDay? {
        if text.isEmpty {
            if required { problems.append(CertificateRowProblem(field: column, problem: "is required")) }
            return nil
        }
        if let day = CalendarDay(text) ?? CalendarDay.spreadsheetParts(text)?.calendarDay { return day }
        problems.append(CertificateRowProblem(field: column, problem: "\"\(text)\" is not a date (YYYY-MM-DD)"))
        return nil
    }
}

/// A problem with one column of a certificate row.
public struct CertificateRowProblem: Sendable, Equatable {
    /// The column, or "row".
    public let field: String
    public let problem: String

    /// Creates a problem.
    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }
}
