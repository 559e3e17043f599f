import Testing
@testable import XinyuCrisisCore
import XinyuDomainKit

@Suite("Cross-check (对撞) with provincial health data")
struct CrossCheckTests {
    static func row(_ id: String, _ national: String, _ name: String, _ birth: String) -> WarningExportRow {
        WarningExportRow(
            studentID: id, nationalStudentID: national, name: name, gender: "", birthDate: birth,
            schoolID: "", schoolName: "", classID: "", level: 2, since: "2024-10-01", reason: "", caseOwner: "", planStatus: ""
        )
    }

    static let healthFile = "\u{FEFF}学籍号,姓名,出生日期,诊断类别\r\n"
        + "G001,张晓明,2009-01-01,抑郁\r\n"
        + "G002,\"李, 华\",2009/03/05,\r\n"
        + ",王小丽,20100228,焦虑\r\n"
        + "G004,赵强,2008-07-07,\r\n"

    @Test("matched, health-only, warning-only, name + birth date fallback")
    func compare() throws {
        let health = try CrossCheck.parseHealthFile(Self.healthFile)
        #expect(health.count == 4)
        #expect(health[1].name == "李, 华")
        #expect(health[1].birthDate == "2009-03-05")
        #expect(health[2].birthDate == "2010-02-28")
        #expect(health[0].diagnosisCategory == "抑郁")
        #expect(health[1].diagnosisCategory == nil)
        let warning = [
            Self.row("S1", "G001", "张晓明", "2009-01-01"),       // by id
            Self.row("S2", "", "王小丽", "2010-02-28"),           // by name + birth date
            Self.row("S3", "G009", "孙悦", "2009-05-05"),         // warning-only
            Self.row("S4", "G099", "赵强", "2008-07-07"),         // different ids: not the same student
        ]
        let report = CrossCheck.compare(warning: warning, health: health)
        #expect(report.matched == [
            CrossCheckMatch(studentID: "S1", nationalStudentID: "G001", method: .nationalStudentID, diagnosisCategory: "抑郁"),
            CrossCheckMatch(studentID: "S2", nationalStudentID: "", method: .nameAndBirthDate, diagnosisCategory: "焦虑"),
        ])
        #expect(report.warningOnly.map(\.studentID) == ["S3", "S4"])
        #expect(report.healthOnly.map(\.nationalStudentID) == ["G002", "G004"])
        #expect(report.summary.contains("2 matched (1 by name + birth date"))
        #expect(report.summary.contains("2 health-only, 2 warning-only"))
    }

    @Test("a health record without an id fills in the warning row by name + birth date")
    func fallbackFromHealthSide() {
        let health = [HealthRecord(nationalStudentID: "G777", name: "陈一", birthDate: "2009-09-09")]
        let report = CrossCheck.compare(warning: [Self.row("S7", "", "陈一", "2009/09/09")], health: health)
        #expect(report.matched == [CrossCheckMatch(studentID: "S7", nationalStudentID: "G777", method: .nameAndBirthDate)])
        #expect(report.healthOnly.isEmpty && report.warningOnly.isEmpty)
    }

    @Test("English headers are accepted")
    func englishHeaders() throws {
        let records = try CrossCheck.parseHealthFile("national_student_id,name,birth_date\nG1,A,2009-01-01\n")
        #expect(records == [HealthRecord(nationalStudentID: "G1", name: "A", birthDate: "2009-01-01", line: 2)])
    }

    @Test("bad lines are named", arguments: [
        ("学籍号,姓名,出生日期\nG1,张三,2009-02-30\n", 2, "出生日期", "is not a real date"),
        ("学籍号,姓名,出生日期\nG1,张三,2009-01-01\nG2,,2009-01-01\n", 3, "姓名", "name is empty"),
        ("学籍号,姓名,出生日期\nG1,张三,2009-01-01\nG1,李四,2009-01-02\n", 3, "学籍号", "already on line 2"),
        ("学籍号,姓名,出生日期\nG1,张三\n", 2, "", "expected 3 fields, found 2"),
        ("学籍号,姓名\nG1,张三\n", 1, "出生日期/birth_date", "no such column"),
        ("学籍号,姓名,出生日期\nG1,\"张三,2009-01-01\n", 2, "", "never ends"),
        ("", 1, "", "empty"),
    ])
    func badLine(text: String, line: Int, column: String, problem: String) {
        let error = caught(CrossCheckError.self) { try CrossCheck.parseHealthFile(text) }
        #expect(error?.line == line)
        #expect(error?.column == column)
        #expect(error?.problem.contains(problem) == true, "\(String(describing: error))")
    }
}
