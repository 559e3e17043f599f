import Foundation
import Testing
import XinyuCoreAPI
import XinyuWire

@Suite("Import: students")
struct ImportStudentTests {
    @Test("a good UTF-8 file is imported; progress for both phases comes before the one report")
    func goodUTF8() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        let result = try await d.importRoster(.students, csv(
            "student_id,name,gender,birth_date,school_id,class_id",
            "G001,张伟,male,2011-04-23,S001,C001",
            "G002,李娜,female,2011-09-01,S001,C001",
            "G003,王芳,f,2008-12-31,S002,C002"))
        try expectImported(result, rows: 3)
        #expect(result.report.encoding == "utf-8")
        #expect(try expectOK(await d.getStudent("G002")).name == "李娜")
        #expect(try expectOK(await d.getStudent("G003")).gender == .female)

        // Progress events, then exactly one report, last.
        #expect(result.reports.count == 1)
        #expect(result.events.last.map { if case .report? = $0.event { true } else { false } } == true)
        let phases = result.progress.map(\.phase)
        #expect(phases.first == "validating" && phases.last == "importing")
        #expect(phases.firstIndex(of: "importing")! > phases.lastIndex(of: "validating")!)
        let validating = result.progress.filter { $0.phase == "validating" }
        #expect(validating.last?.done == 3 && validating.allSatisfy { $0.total == 3 })
        #expect(result.progress.filter { $0.phase == "importing" }.last?.done == 3)
    }

    @Test("a UTF-8-BOM file with a school's Chinese headers, 男/女 and spreadsheet dates")
    func bomWithChineseHeaders() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        // 学籍号 wins over 学号 when a file has both; extra columns (民族) are ignored.
        let text = csv(
            "学号,学籍号,姓名,性别,出生日期,学校代码,班级代码,民族",
            "12,G20110423,张伟,男,2011/4/23,S001,C001,汉族",
            "13,G20110901,李娜,女,20110901,S001,C001,回族",
            "14,G20101231,\"欧阳, 娜娜\",女,2010年12月31日,S001,C001,汉族",
            "15,G20120102,赵磊,男,2012/1/2 0:00,S001,C001,汉族")
        let result = try await d.importRoster(.students, [0xEF, 0xBB, 0xBF] + Array(text.utf8))
        try expectImported(result, rows: 4)
        #expect(result.report.encoding == "utf-8-bom")
        let zhang = try expectOK(await d.getStudent("G20110423"))
        #expect(zhang.name == "张伟" && zhang.gender == .male && zhang.birthDate == "2011-04-23")
        #expect(try expectOK(await d.getStudent("G20110901")).birthDate == "2011-09-01")
        let ouyang = try expectOK(await d.getStudent("G20101231"))
        #expect(ouyang.name == "欧阳, 娜娜" && ouyang.birthDate == "2010-12-31")
        #expect(try expectOK(await d.getStudent("G20120102")).birthDate == "2012-01-02")
    }

    @Test("a GBK file, as Excel on Chinese Windows saves it")
    func gbk() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        #expect(try gbkBytes("张伟") == [0xD5, 0xC5, 0xCE, 0xB0])
        let bytes = try gbkBytes(csv(
            "学籍号,姓名,性别,出生日期,学校代码,班级代码",
            "G001,张伟,男,2011-04-23,S001,C001",
            "G002,欧阳娜娜,女,2011-05-06,S001,C001"))
        #expect(String(validating: bytes, as: UTF8.self) == nil)
        let result = try await d.importRoster(.students, bytes)
        try expectImported(result, rows: 2)
        #expect(result.report.encoding == "gbk")
        #expect(try expectOK(await d.getStudent("G001")).name == "张伟")
        #expect(try expectOK(await d.getStudent("G002")).name == "欧阳娜娜")
    }

    private let fileWithBadRows = csv(
        "学籍号,姓名,性别,出生日期,学校代码,班级代码",
        "G001,张伟,男,2011-04-23,S001,C001",       // line 2: good
        "G002,李娜,女,2011-13-01,S001,C001",       // line 3: no such month
        "G003,王芳,女,2011-05-06,S001,C002",       // line 4: class of another school
        "G004,,X,2011-05-06,S001,C001",           // line 5: no name, bad gender
        "G005,刘洋,男,2011-05-06,S001",             // line 6: a field short
        "G006,陈静,女,2011-05-06,S009,C001",       // line 7: no such school
        "G007,赵磊,男,2011-05-06,S001,C001")       // line 8: good

    private let expectedErrors = [
        "3 出生日期: '2011-13-01' is not a date (use YYYY-MM-DD)",
        "4 班级代码: no class C002 in school S001 (class C002 is in school S002)",
        "5 姓名: is required",
        "5 性别: 'X' is not a gender (use 男/女 or male/female)",
        "6 : expected 6 fields, found 5",
        "7 学校代码: no school S009",
    ]

    @Test("bad rows: nothing is imported, and each error names its line and column")
    func badRowsChangeNothing() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        let result = try await d.importRoster(.students, fileWithBadRows)
        #expect(result.status.code == .ok)
        #expect(result.errors == expectedErrors)
        #expect(result.report.nothingChanged && result.report.imported == 0)
        #expect(result.report.rows == 7 && result.report.skipped == 5)
        #expect(try d.count("directory_students") == 0)
        #expect(!result.progress.contains { $0.phase == "importing" })
    }

    @Test("bad rows with skip_bad_rows: the good rows are imported and the bad ones reported")
    func skipBadRows() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        let result = try await d.importRoster(.students, fileWithBadRows, skipBadRows: true)
        #expect(result.errors == expectedErrors)
        #expect(!result.report.nothingChanged && result.report.imported == 2 && result.report.skipped == 5)
        #expect(try d.count("directory_students") == 2)
        #expect(try await d.getStudent("G007").code == .ok)
        #expect(try await d.getStudent("G002").code == .notFound)
    }

    @Test("dry_run checks a good file and changes nothing")
    func dryRun() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        let result = try await d.importRoster(.students, csv("student_id,name,gender,birth_date,school_id,class_id", "G001,张伟,男,2011-04-23,S001,C001"), dryRun: true)
        #expect(result.status.code == .ok && result.errors.isEmpty)
        #expect(result.report.nothingChanged && result.report.imported == 0 && result.report.rows == 1)
        #expect(try d.count("directory_students") == 0)
        #expect(result.progress.allSatisfy { $0.phase == "validating" })
    }

    @Test("re-importing an updated roster updates the rows; unchanged rows keep updated_at_ms")
    func reimportUpdates() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        let header = "student_id,name,gender,birth_date,school_id,class_id"
        try expectImported(await d.importRoster(.students, csv(header, "G001,张伟,男,2011-04-23,S001,C001", "G002,李娜,女,2011-09-01,S001,C001")), rows: 2)
        let before = try expectOK(await d.getStudent("G002"))
        try await Task.sleep(for: .milliseconds(5))
        try expectImported(await d.importRoster(.students, csv(header, "G001,张伟,男,2011-04-23,S002,C002", "G002,李娜,女,2011-09-01,S001,C001", "G003,王芳,女,2011-01-01,S001,C001")), rows: 3)
        #expect(try d.count("directory_students") == 3)
        let moved = try expectOK(await d.getStudent("G001"))
        #expect(moved.schoolID == "S002" && moved.classID == "C002")
        #expect(try expectOK(await d.getStudent("G002")).updatedAtMs == before.updatedAtMs)
    }

    @Test("a student twice in one file: the later line is the error, naming the earlier one")
    func duplicateIDs() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        let result = try await d.importRoster(.students, csv(
            "student_id,name,gender,birth_date,school_id,class_id",
            "G001,张伟,男,2011-04-23,S001,C001",
            "G002,李娜,女,2011-09-01,S001,C001",
            "G001,张伟,男,2011-04-23,S001,C001"))
        #expect(result.errors == ["4 student_id: student G001 is also on line 2; keep one of the two lines"])
        #expect(result.report.nothingChanged)
    }

    @Test("a missing required column is INVALID_ARGUMENT naming it; nothing is sent or changed")
    func missingColumn() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        let result = try await d.importRoster(.students, csv("学籍号,姓名,性别,学校代码,班级代码", "G001,张伟,男,S001,C001"))
        #expect(result.status.code == .invalidArgument)
        #expect(result.status.message.contains("field csv:") && result.status.message.contains("birth_date (name it birth_date or birthday or date_of_birth or dob or 出生日期 or 生日)"))
        #expect(result.events.isEmpty)
        #expect(try d.count("directory_students") == 0)
    }

    @Test("a file that cannot be read is INVALID_ARGUMENT with the reader's explanation")
    func unreadableFile() async throws {
        let d = try DirectoryHarness()
        let quote = try await d.importRoster(.students, "student_id,name\n\"G001,张伟\n")
        #expect(quote.status.code == .invalidArgument && quote.status.message.contains("field csv: line 2: a quoted field starts here and never ends"))
        let empty = try await d.importRoster(.students, "")
        #expect(empty.status.code == .invalidArgument && empty.status.message.contains("the file is empty"))
        let garbage = try await d.importRoster(.students, [0x73, 0x0A, 0xFF, 0xFF, 0xFF, 0x0A])
        #expect(garbage.status.code == .invalidArgument && garbage.status.message.contains("neither UTF-8 nor GBK"))
        #expect(try d.count("directory_students") == 0)
    }

    @Test("errors are capped at 1000, with a last line-0 error saying how many more there are")
    func errorCap() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        var lines = ["student_id,name,gender,birth_date,school_id,class_id"]
        for index in 1...1200 { lines.append("G\(index),张伟,男,2011-04-23,S001,C404") }
        let result = try await d.importRoster(.students, lines.joined(separator: "\n"))
        #expect(result.report.errors.count == 1001)
        let last = try #require(result.report.errors.last)
        #expect(last.line == 0 && last.field.isEmpty && last.problem.hasPrefix("200 more error(s) not shown"))
        #expect(result.report.skipped == 1200 && result.report.nothingChanged)
    }
}
