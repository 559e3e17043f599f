import Testing
import XinyuCoreAPI
import XinyuWire

@Suite("Classes")
struct ClassTests {
    @Test("create, get and update round-trip")
    func roundTrip() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        let fetched = try expectOK(await d.call("GetClass", Xinyu_Directory_V1_GetClassRequest.with { $0.id = "C001" }, as: SchoolClass.self))
        #expect(fetched.schoolID == "S001" && fetched.grade == 7 && fetched.name == "3班" && fetched.homeroomTeacherID == "T001")

        var changed = fetched
        changed.name = "初一(3)班"
        changed.homeroomTeacherID = ""
        let updated = try expectOK(await d.call("UpdateClass", Requests.update(changed), as: SchoolClass.self))
        #expect(updated.name == "初一(3)班" && updated.homeroomTeacherID.isEmpty)
        expectFailure(try await d.createClass(makeClass("C001")), .alreadyExists, "class C001 already exists")
        expectFailure(try await d.call("UpdateClass", Requests.update(makeClass("C404")), as: SchoolClass.self), .notFound, "no class C404")
    }

    @Test("references: the school must exist, the homeroom teacher must be staff of the same school")
    func references() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        try expectOK(await d.createStaff(makeStaff("T002", school: "S002")))
        try expectOK(await d.createStaff(makeStaff("T100", school: "", roles: ["psych_teacher_full_time"])))
        expectFailure(try await d.createClass(makeClass("C009", school: "S009")), .invalidArgument, "field class.school_id: no school S009")
        expectFailure(try await d.createClass(makeClass("C009", teacher: "T404")), .invalidArgument, "field class.homeroom_teacher_id: no staff T404")
        expectFailure(try await d.createClass(makeClass("C009", teacher: "T002")), .invalidArgument, "field class.homeroom_teacher_id", "works at school S002")
        expectFailure(try await d.createClass(makeClass("C009", teacher: "T100")), .invalidArgument, "field class.homeroom_teacher_id", "city-level")
    }

    @Test("a class with students cannot move to another school")
    func moveWithStudents() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        try expectOK(await d.createStudent(makeStudent()))
        expectFailure(
            try await d.call("UpdateClass", Requests.update(makeClass("C001", school: "S002")), as: SchoolClass.self),
            .failedPrecondition, "field class.school_id", "1 student(s)")
        // Without students it may move.
        try expectOK(await d.call("UpdateClass", Requests.update(makeClass("C002", school: "S001")), as: SchoolClass.self))
    }
}
