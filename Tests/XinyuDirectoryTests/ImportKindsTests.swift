import Foundation
import Testing
import XinyuCoreAPI
import XinyuWire

@Suite("Import: schools, staff, classes, guardians")
struct ImportKindsTests {
    @Test("a whole city onboards from its spreadsheets' Chinese headers, in dependency order")
    func onboarding() async throws {
        let d = try DirectoryHarness()
        try expectImported(await d.importRoster(.schools, csv(
            "学校代码,学校名称,区县,学段,是否分中心",
            "S001,宁波市实验小学,海曙区,小学,否",
            "S002,宁波市第七中学,江北区,初中,是",
            "S003,宁波职教中心,鄞州区,中职,")), rows: 3)
        let s002 = try expectOK(await d.call("GetSchool", Xinyu_Directory_V1_GetSchoolRequest.with { $0.id = "S002" }, as: School.self))
        #expect(s002.kind == .junior && s002.subCentre && s002.district == "江北区")

        try expectImported(await d.importRoster(.staff, csv(
            "工号,姓名,学校代码,角色",
            "T001,王老师,S001,班主任",
            "T002,陈静,S002,\"专职心理教师、导师\"",
            "T003,刘洋,,psych_teacher_full_time;mentor")), rows: 3)
        let chen = try expectOK(await d.call("GetStaff", Xinyu_Directory_V1_GetStaffRequest.with { $0.id = "T002" }, as: Staff.self))
        #expect(chen.roles == ["mentor", "psych_teacher_full_time"] && chen.schoolID == "S002")
        let liu = try expectOK(await d.call("GetStaff", Xinyu_Directory_V1_GetStaffRequest.with { $0.id = "T003" }, as: Staff.self))
        #expect(liu.schoolID.isEmpty)

        try expectImported(await d.importRoster(.classes, csv(
            "班级代码,学校代码,年级,班级名称,班主任工号",
            "C001,S001,一年级,1班,T001",
            "C002,S002,初一,初一(2)班,T002",
            "C003,S002,9,初三(1)班,",
            "C004,S003,高二,汽修1班,")), rows: 4)
        let grades = try expectOK(await d.call("ListClasses", Xinyu_Directory_V1_ListClassesRequest(), as: Xinyu_Directory_V1_ListClassesResponse.self))
        #expect(grades.classes.map(\.grade) == [1, 7, 9, 11])

        try expectImported(await d.importRoster(.students, csv(
            "学籍号,姓名,性别,出生日期,学校代码,班级代码",
            "G001,张伟,男,2018-03-01,S001,C001",
            "G002,李娜,女,2013-07-15,S002,C002")), rows: 2)

        try expectImported(await d.importRoster(.guardians, csv(
            "学籍号,监护人姓名,关系,手机号",
            "G001,张强,父亲,13800000001",
            "G001,刘梅,母亲,13800000002",
            "G002,李建国,祖父,+8613900000003")), rows: 3)
        let guardians = try expectOK(await d.call("ListGuardians", Xinyu_Directory_V1_ListGuardiansRequest.with { $0.studentID = "G001" }, as: Xinyu_Directory_V1_ListGuardiansResponse.self))
        #expect(guardians.guardians.map(\.relation) == ["父亲", "母亲"])
    }

    @Test("each kind's bad cells are reported against the file's own column titles")
    func kindSpecificErrors() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        let schools = try await d.importRoster(.schools, csv("学校代码,学校名称,区县,学段,分中心", "S009,某大学,海曙区,大学,也许"))
        #expect(schools.errors == [
            "2 学段: '大学' is not a school kind (use primary/小学, junior/初中, senior/高中 or vocational/职高)",
            "2 分中心: '也许' is not yes or no (use 是/否, yes/no or 1/0; empty means no)",
        ])
        let classes = try await d.importRoster(.classes, csv("班级代码,学校代码,年级,班级名称,班主任工号", "C009,S001,初四,1班,T404", "C010,S002,13,1班,T001"))
        #expect(classes.errors == [
            "2 年级: '初四' is not a grade (use 1–12, e.g. 7, 七年级 or 初一)",
            "2 班主任工号: no staff T404",
            "3 年级: 13 is not a grade (1–12: primary 1–6, junior 7–9, senior 10–12)",
            "3 班主任工号: staff T001 works at school S001, not at school S002",
        ])
        let staff = try await d.importRoster(.staff, csv("工号,姓名,学校代码,岗位", "T009,赵老师,S001,副校长", "T010,钱老师,S404,mentor"))
        #expect(staff.errors.count == 2)
        #expect(staff.errors[0].hasPrefix("2 岗位: '副校长' is not a role this directory knows"))
        #expect(staff.errors[1] == "3 学校代码: no school S404")
        let guardians = try await d.importRoster(.guardians, csv("学号,家长姓名,关系,联系电话", "G404,张强,父亲,1.38E+10"))
        #expect(guardians.errors == [
            "2 学号: no student G404",
            "2 联系电话: '1.38E+10' is not a phone number (digits with an optional leading +, 5 to 20 characters, no spaces or dashes); Excel turned the number into scientific notation: format the column as Text",
        ])
        #expect(try d.count("directory_schools") == 2 && d.count("directory_classes") == 2 && d.count("directory_staff") == 1)
    }

    @Test("guardians are matched by student and name: re-importing updates, a repeat in one file is an error")
    func guardianReimport() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        try expectOK(await d.createStudent(makeStudent()))
        let header = "student_id,name,relation,phone"
        try expectImported(await d.importRoster(.guardians, csv(header, "G001,李娜,母亲,13800000000")), rows: 1)
        try expectImported(await d.importRoster(.guardians, csv(header, "G001,李娜,妈妈,13900000000", "G001,张强,父亲,13700000000")), rows: 2)
        #expect(try d.count("directory_guardians") == 2)
        let list = try expectOK(await d.call("ListGuardians", Xinyu_Directory_V1_ListGuardiansRequest.with { $0.studentID = "G001" }, as: Xinyu_Directory_V1_ListGuardiansResponse.self))
        #expect(list.guardians.first { $0.name == "李娜" }?.phone == "13900000000")

        let twice = try await d.importRoster(.guardians, csv(header, "G001,王芳,姑姑,13600000000", "G001,王芳,姑姑,13600000001"))
        #expect(twice.errors == ["3 name: a guardian of student G001 with this name is also on line 2; keep one of the two lines"])
    }

    @Test("an optional column the file lacks keeps existing values instead of clearing them")
    func absentOptionalColumns() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        try expectOK(await d.createStaff(makeStaff("T002", name: "陈静", school: "S002", roles: ["mentor"])))
        try expectImported(await d.importRoster(.staff, csv("staff_id,name", "T002,陈静老师", "T003,新老师")), rows: 2)
        let chen = try expectOK(await d.call("GetStaff", Xinyu_Directory_V1_GetStaffRequest.with { $0.id = "T002" }, as: Staff.self))
        #expect(chen.name == "陈静老师" && chen.schoolID == "S002" && chen.roles == ["mentor"])
        let fresh = try expectOK(await d.call("GetStaff", Xinyu_Directory_V1_GetStaffRequest.with { $0.id = "T003" }, as: Staff.self))
        #expect(fresh.schoolID.isEmpty && fresh.roles.isEmpty)

        try expectImported(await d.importRoster(.classes, csv("class_id,school_id,grade,name", "C001,S001,8,3班")), rows: 1)
        let moved = try expectOK(await d.call("GetClass", Xinyu_Directory_V1_GetClassRequest.with { $0.id = "C001" }, as: SchoolClass.self))
        #expect(moved.grade == 8 && moved.homeroomTeacherID == "T001")
    }

    @Test("an import cannot move a class with students, or a homeroom teacher, to another school")
    func moves() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        try expectOK(await d.createStudent(makeStudent()))
        let classes = try await d.importRoster(.classes, csv("class_id,school_id,grade,name", "C001,S002,7,3班"))
        #expect(classes.errors == ["2 school_id: class C001 has 1 student(s) in school S001; move them to another class before moving the class to school S002"])
        let staff = try await d.importRoster(.staff, csv("staff_id,name,school_id", "T001,王老师,S002"))
        #expect(staff.errors == ["2 school_id: staff T001 is the homeroom teacher of class C001 in school S001; give that class another homeroom teacher first"])
    }
}
