import Foundation
import Testing
@testable import XinyuCrisisCore
import XinyuDomainKit

@Suite("Provincial export")
struct ProvincialExportTests {
    static let rows = [
        WarningExportRow(
            studentID: "S2024-0113", nationalStudentID: "G330203200901011234", name: "张晓明", gender: "男",
            birthDate: "2009-01-01", schoolID: "3302001", schoolName: "宁波市第一中学", classID: "初二(3)班",
            level: 1, since: "2024-10-08", reason: "PHQ-A total 21 (severe), item 9 = 2 → level 1 under policy 2024-1",
            caseOwner: "李老师", planStatus: "active"
        ),
        WarningExportRow(
            studentID: "S2024-0200", nationalStudentID: "", name: "王\"小\"丽, Li", gender: "女",
            birthDate: "2010-02-28", schoolID: "3302002", schoolName: "第二中学", classID: "7-1",
            level: 3, since: "2024-11-01", reason: "=HYPERLINK(\"x\")\nsecond line", caseOwner: "", planStatus: "draft"
        ),
    ]
    static let from = CalendarDay("2024-09-01")!
    static let to = CalendarDay("2024-12-31")!

    @Test("CSV: BOM, bilingual header, CRLF, RFC 4180 quoting, formulas defused")
    func csv() {
        let text = ProvincialExport.render(Self.rows, format: .csv, generatedAt: "2025-01-02T08:00:00+08:00", scope: "city", from: Self.from, to: Self.to)
        #expect(text.hasPrefix("\u{FEFF}学号/student_id,学籍号/national_student_id,姓名/name,"))
        let lines = text.dropFirst().components(separatedBy: "\r\n")
        #expect(lines[1] == "S2024-0113,G330203200901011234,张晓明,男,2009-01-01,3302001,宁波市第一中学,初二(3)班,1,2024-10-08,\"PHQ-A total 21 (severe), item 9 = 2 → level 1 under policy 2024-1\",李老师,active,none")
        #expect(lines[2].hasPrefix("S2024-0200,,\"王\"\"小\"\"丽, Li\",女,"))
        #expect(text.contains(",\"'=HYPERLINK(\"\"x\"\")\nsecond line\",,draft,none\r\n"))
        #expect(text.hasSuffix("\r\n"))
    }

    @Test("CSV round-trips a Chinese name through the health-file reader")
    func csvRoundTrip() throws {
        let text = ProvincialExport.render(Self.rows, format: .csv, generatedAt: "", scope: "city", from: Self.from, to: Self.to)
        let records = try CrossCheck.parseHealthFile(text)
        #expect(records.map(\.name) == ["张晓明", "王\"小\"丽, Li"])
        #expect(records.map(\.nationalStudentID) == ["G330203200901011234", ""])
        #expect(records.map(\.birthDate) == ["2009-01-01", "2010-02-28"])
    }

    @Test("JSON: format id, metadata, stable keys, Chinese text intact")
    func json() throws {
        let text = ProvincialExport.render(Self.rows, format: .json, generatedAt: "2025-01-02T08:00:00+08:00", scope: "宁波市", from: Self.from, to: Self.to)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["format"] as? String == "xinyu.crisis.provincial-export/2")
        #expect(object["generated_at"] as? String == "2025-01-02T08:00:00+08:00")
        #expect(object["scope"] as? String == "宁波市")
        #expect(object["from"] as? String == "2024-09-01")
        #expect(object["to"] as? String == "2024-12-31")
        #expect(object["row_count"] as? Int == 2)
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(rows[0]["name"] as? String == "张晓明")
        #expect(rows[0]["level"] as? Int == 1)
        #expect(rows[1]["name"] as? String == "王\"小\"丽, Li")
        #expect(rows[1]["reason"] as? String == "=HYPERLINK(\"x\")\nsecond line")
        #expect(Set(rows[0].keys) == [
            "student_id", "national_student_id", "name", "gender", "birth_date", "school_id", "school_name",
            "class_id", "level", "since", "reason", "case_owner", "plan_status", "change",
        ])
        #expect(text.contains("\"format\": \"xinyu.crisis.provincial-export/2\",\n  \"generated_at\""))
    }

    @Test("JSON with no rows is valid")
    func emptyJSON() throws {
        let text = ProvincialExport.render([], format: .json, generatedAt: "t", scope: "s", from: Self.from, to: Self.to)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect((object["rows"] as? [Any])?.isEmpty == true)
    }

    @Test("control characters are escaped in JSON")
    func jsonEscapes() {
        #expect(ProvincialExport.jsonString("a\u{1}b\\c\t") == "\"a\\u0001b\\\\c\\t\"")
    }

    @Test("file name carries the metadata")
    func fileName() {
        #expect(ProvincialExport.fileName(format: .csv, scope: "海曙区 schools", from: Self.from, to: Self.to)
            == "crisis-warnings_海曙区_schools_2024-09-01_2024-12-31.csv")
    }
}
