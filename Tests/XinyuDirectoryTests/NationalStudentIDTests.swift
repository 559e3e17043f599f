import Foundation
import GRDB
import Testing
import XinyuCoreAPI
import XinyuDirectory
import XinyuPluginSDK
import XinyuWire

/// The national student number (全国学籍号) as a directory field of its own (issue 12 §5), and
/// a transfer recorded in the audit trail (§4).
@Suite("Students: national student number, transfers in the audit")
struct NationalStudentIDTests {
    static func student(_ id: String, national: String, school: String = "S001", schoolClass: String = "C001") -> Xinyu_Directory_V1_Student {
        var s = makeStudent(id, school: school, schoolClass: schoolClass)
        s.nationalStudentID = national
        return s
    }

    @Test("the API stores, returns, checks and clears the national student number; no two students share one")
    func api() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        #expect(try expectOK(await d.createStudent(Self.student("G001", national: " G330203201104230011 "))).nationalStudentID == "G330203201104230011")
        #expect(try expectOK(await d.getStudent("G001")).nationalStudentID == "G330203201104230011")
        #expect(try expectOK(await d.createStudent(Self.student("G002", national: ""))).nationalStudentID.isEmpty, "optional")
        expectFailure(try await d.createStudent(Self.student("G003", national: "G330203201104230011")), .invalidArgument,
                      "field student.national_student_id: G330203201104230011 is already the national student id of student G001")
        expectFailure(try await d.createStudent(Self.student("G003", national: "G 3302")), .invalidArgument, "field student.national_student_id")
        #expect(try await d.getStudent("G003").code == .notFound, "a refused create changes nothing")
        // The holder may keep it on an update; clearing it frees it for another student.
        #expect(try expectOK(await d.call("UpdateStudent", Requests.update(Self.student("G001", national: "G330203201104230011")), as: Student.self))
            .nationalStudentID == "G330203201104230011")
        #expect(try expectOK(await d.call("UpdateStudent", Requests.update(Self.student("G001", national: "")), as: Student.self)).nationalStudentID.isEmpty)
        #expect(try expectOK(await d.createStudent(Self.student("G003", national: "G330203201104230011"))).nationalStudentID == "G330203201104230011")
    }

    @Test("the plugin SDK's DirectoryStudent carries it")
    func sdkView() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        try expectOK(await d.createStudent(Self.student("G001", national: "G330203201104230011")))
        try expectOK(await d.createStudent(Self.student("G002", national: "")))
        let read = try d.database.readSync { db in try DirectoryReader().students(["G001", "G002"], in: db) }
        #expect(read["G001"]?.nationalStudentID == "G330203201104230011" && read["G002"]?.nationalStudentID == "")
    }

    @Test("import: a 全国学籍号 column is read and checked; a file without it keeps the stored numbers")
    func importColumn() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        try expectImported(try await d.importRoster(.students, csv(
            "学号,姓名,性别,出生日期,学校代码,班级代码,全国学籍号",
            "G001,张伟,男,2011-04-23,S001,C001,G330203201104230011",
            "G002,李娜,女,2011-09-01,S001,C001,")), rows: 2)
        #expect(try expectOK(await d.getStudent("G001")).nationalStudentID == "G330203201104230011")
        #expect(try expectOK(await d.getStudent("G002")).nationalStudentID.isEmpty)

        let taken = try await d.importRoster(.students, csv(
            "学号,姓名,性别,出生日期,学校代码,班级代码,全国学籍号",
            "G003,王芳,女,2011-01-01,S001,C001,G330203201104230011"))
        #expect(taken.report.nothingChanged && taken.errors == ["2 全国学籍号: G330203201104230011 is already the national student id of student G001"], "\(taken.errors)")

        try expectImported(try await d.importRoster(.students, csv(
            "学号,姓名,性别,出生日期,学校代码,班级代码",
            "G001,张伟,男,2011-04-23,S001,C001")), rows: 1)
        #expect(try expectOK(await d.getStudent("G001")).nationalStudentID == "G330203201104230011", "kept without the column")
    }

    @Test("a change of school or class is noted in the audit trail with the student as subject")
    func transferAudited() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        try expectOK(await d.createStudent(makeStudent("G001")))
        let renamed = try await d.call("UpdateStudent", Requests.update(makeStudent("G001", name: "张伟伟")), as: Student.self)
        #expect(renamed.status.trailers.first { $0.key == AuditTrailer.note } == nil, "no move, no note")
        let moved = try await d.call("UpdateStudent", Requests.update(makeStudent("G001", school: "S002", schoolClass: "C002")), as: Student.self)
        #expect(moved.subjects == ["G001"])
        #expect(moved.status.trailers.first { $0.key == AuditTrailer.note }?.value
                == "student moved from school S001 class C001 to school S002 class C002; data scopes follow")
    }

    @Test("a roster import that moves students notes each move in the audit trail, with the moved students as subjects")
    func importTransferAudited() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        try expectOK(await d.createStudent(makeStudent("G001")))
        try expectOK(await d.createStudent(makeStudent("G002")))
        let unchanged = try await d.importRoster(.students, csv(
            "学号,姓名,性别,出生日期,学校代码,班级代码",
            "G001,张伟伟,男,2011-04-23,S001,C001"))
        try expectImported(unchanged, rows: 1)
        #expect(unchanged.status.trailers.first { $0.key == AuditTrailer.note } == nil, "no move, no note")

        let moved = try await d.importRoster(.students, csv(
            "学号,姓名,性别,出生日期,学校代码,班级代码",
            "G001,张伟,男,2011-04-23,S002,C002",
            "G002,李娜,女,2011-04-23,S001,C001",
            "G003,王芳,女,2011-01-01,S001,C001"))
        try expectImported(moved, rows: 3)
        #expect(moved.status.trailers.first { $0.key == AuditTrailer.subjects }?.value == "G001", "only the moved student; a new one has no old place")
        #expect(moved.status.trailers.first { $0.key == AuditTrailer.note }?.value
                == "1 student(s) moved school or class (转学/转班), data scopes follow: G001 S001/C001 → S002/C002")
    }
}
