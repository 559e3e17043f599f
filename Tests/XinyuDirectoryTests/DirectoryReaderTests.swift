import GRDB
import Testing
import XinyuCoreAPI
import XinyuDirectory
import XinyuPluginSDK
import XinyuStore

/// The SDK's `DirectoryReader` (what plugins read the directory with) run against the directory's
/// real schema, filled through the directory's own service: a directory migration that renames
/// or drops something the reader uses fails here, not in a plugin in production.
@Suite("DirectoryReader against the directory's schema")
struct DirectoryReaderTests {
    /// S001 (C001 with G001, G002; T001 homeroom; T002 mentor of G001 and G002), S002 (C002 with G003).
    private func filled() async throws -> DirectoryHarness {
        let d = try DirectoryHarness()
        try await d.seed()
        try expectOK(await d.createStaff(makeStaff("T002", name: "陈静", school: "S001", roles: ["psych_teacher_full_time", "mentor"])))
        try expectOK(await d.createStudent(makeStudent("G001", name: "张伟", gender: .male, birthDate: "2011-04-23", school: "S001", schoolClass: "C001")))
        try expectOK(await d.createStudent(makeStudent("G002", name: "李娜", gender: .female, birthDate: "2011-02-11", school: "S001", schoolClass: "C001")))
        try expectOK(await d.createStudent(makeStudent("G003", name: "王芳", gender: .female, birthDate: "2008-06-01", school: "S002", schoolClass: "C002")))
        try expectOK(await d.createGuardian(makeGuardian(student: "G001", name: "李娜", relation: "母亲", phone: "13800000000")))
        try expectOK(await d.createGuardian(makeGuardian(student: "G001", name: "张强", relation: "父亲", phone: "13900000000")))
        var grid = Xinyu_Directory_V1_SetGridRequest()
        grid.grid.mentorID = "T002"
        grid.grid.studentIds = ["G001", "G002"]
        try expectOK(await d.call("SetGrid", grid, as: Xinyu_Directory_V1_Grid.self))
        return d
    }

    @Test("the reader is versioned with the directory's migrations: it names one the directory ships, under the directory's owner")
    func version() {
        #expect(DirectoryReader.directoryOwner == DirectoryService.owner)
        #expect(DirectoryService().migrations.map(\.name).contains(DirectoryReader.writtenAgainst))
    }

    @Test("a database the directory migrated passes the plugin start-up check")
    func schemaCheck() throws {
        let d = try DirectoryHarness()
        try DirectoryReader.requireSchema(in: d.database)
    }

    @Test("students one by one, in a batch, with their school and class, and counted within scopes")
    func students() async throws {
        let d = try await filled()
        let reader = DirectoryReader()
        try d.database.readSync { db in
            let student = try #require(try reader.student("G002", in: db))
            #expect(student.id == "G002" && student.name == "李娜" && student.gender == "female" && student.birthDate == "2011-02-11")
            #expect(student.schoolID == "S001" && student.classID == "C001")
            #expect(try reader.student("G404", in: db) == nil)
            let batch = try reader.students(["G001", "G003", "G404"], in: db)
            #expect(batch.keys.sorted() == ["G001", "G003"] && batch["G003"]?.schoolID == "S002")
            let placement = try #require(try reader.placement(ofStudent: "G003", in: db))
            #expect(placement.school.name == "宁波市第二中学" && placement.school.kind == "senior" && placement.schoolClass.grade == 10)
            #expect(try reader.countStudents(within: [.city], in: db) == 3)
            #expect(try reader.countStudents(within: [.city], schoolID: "S001", in: db) == 2)
            #expect(try reader.countStudents(within: [DataScope(kind: "class", ids: ["C002"])], in: db) == 1)
            #expect(try reader.countStudents(within: [DataScope(kind: "grid", ids: ["T002"])], in: db) == 2)
            #expect(try reader.countStudents(within: [], in: db) == 0)
        }
    }

    @Test("schools, classes, staff with roles, guardians and heart grids")
    func everythingElse() async throws {
        let d = try await filled()
        let reader = DirectoryReader()
        try d.database.readSync { db in
            #expect(try reader.school("S001", in: db)?.district == "海曙区")
            #expect(try reader.schools(["S001", "S002", "S404"], in: db).keys.sorted() == ["S001", "S002"])
            let schoolClass = try #require(try reader.schoolClass("C001", in: db))
            #expect(schoolClass.schoolID == "S001" && schoolClass.grade == 7 && schoolClass.homeroomTeacherID == "T001")
            #expect(try reader.schoolClass("C002", in: db)?.homeroomTeacherID == nil)
            #expect(try reader.staff("T003", in: db) == nil)
            let staff = try #require(try reader.staff("T002", in: db))
            #expect(staff.schoolID == "S001" && staff.roles == ["mentor", "psych_teacher_full_time"])
            #expect(try reader.staffExists("T001", in: db) && !(try reader.staffExists("T404", in: db)))
            #expect(try reader.guardians(ofStudent: "G001", in: db).map(\.relation).sorted() == ["母亲", "父亲"])
            #expect(try reader.mentors(ofStudent: "G002", in: db) == ["T002"] && reader.mentors(ofStudent: "G003", in: db).isEmpty)
            #expect(try reader.students(ofMentor: "T002", in: db) == ["G001", "G002"])
        }
    }
}
