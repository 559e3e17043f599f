import Testing
import XinyuCoreAPI
import XinyuWire

@Suite("Students")
struct StudentTests {
    @Test("create, get and update round-trip, and each reports the student for the audit")
    func roundTrip() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        let create = try await d.createStudent(makeStudent("G001", name: "欧阳娜娜", gender: .female))
        let created = try expectOK(create)
        #expect(create.subjects == ["G001"])
        #expect(created.name == "欧阳娜娜" && created.gender == .female && created.birthDate == "2011-04-23")

        let get = try await d.getStudent("G001")
        #expect(try expectOK(get) == created)
        #expect(get.subjects == ["G001"])

        var moved = created
        moved.schoolID = "S002"
        moved.classID = "C002"
        let update = try await d.call("UpdateStudent", Requests.update(moved), as: Student.self)
        #expect(try expectOK(update).classID == "C002")
        #expect(update.subjects == ["G001"])
    }

    @Test("ALREADY_EXISTS and NOT_FOUND name the student")
    func existence() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        try expectOK(await d.createStudent(makeStudent()))
        expectFailure(try await d.createStudent(makeStudent()), .alreadyExists, "student G001 already exists")
        expectFailure(try await d.call("UpdateStudent", Requests.update(makeStudent("G404")), as: Student.self), .notFound, "no student G404")
        let missing = try await d.getStudent("G404")
        expectFailure(missing, .notFound, "no student G404")
        #expect(missing.subjects.isEmpty)
    }

    @Test("the class must be in the student's school")
    func classInSchool() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        expectFailure(try await d.createStudent(makeStudent(schoolClass: "C002")), .invalidArgument,
                      "field student.class_id: no class C002 in school S001")
        expectFailure(try await d.createStudent(makeStudent(schoolClass: "C404")), .invalidArgument,
                      "field student.class_id: no class C404 in school S001")
        expectFailure(try await d.createStudent(makeStudent(school: "S404")), .invalidArgument, "field student.school_id: no school S404")
    }
}
