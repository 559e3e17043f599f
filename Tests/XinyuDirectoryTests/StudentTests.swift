import Testing
import XinyuPluginSDK
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
        expectFailure(missing, .notFound, "student G404 not found")
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

    @Test("a class teacher reads only their class; elsewhere a student is not found")
    func dataScopes() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        try expectOK(await d.createStudent(makeStudent("G001", name: "欧阳娜娜")))
        try expectOK(await d.createStudent(makeStudent("G002", name: "王小明", school: "S002", schoolClass: "C002")))
        let classTeacher = Principal(id: "staff:T900", kind: .person, permissions: ["directory.read"], scopes: [DataScope(kind: "class", ids: ["C001"])])
        let listed = try expectOK(await d.call("ListStudents", Xinyu_Directory_V1_ListStudentsRequest(), as: Xinyu_Directory_V1_ListStudentsResponse.self, principal: classTeacher))
        #expect(listed.students.map(\.id) == ["G001"])
        #expect(listed.total == 1)
        let own = try await d.call("GetStudent", Xinyu_Directory_V1_GetStudentRequest.with { $0.id = "G001" }, as: Student.self, principal: classTeacher)
        #expect(try expectOK(own).name == "欧阳娜娜")
        let other = try await d.call("GetStudent", Xinyu_Directory_V1_GetStudentRequest.with { $0.id = "G002" }, as: Student.self, principal: classTeacher)
        expectFailure(other, .notFound, "student G002 not found")
        let agency = Principal(id: "agency:x", kind: .agency, permissions: ["directory.read"], scopes: [DataScope(kind: "agency", ids: ["x"])])
        let none = try expectOK(await d.call("ListStudents", Xinyu_Directory_V1_ListStudentsRequest(), as: Xinyu_Directory_V1_ListStudentsResponse.self, principal: agency))
        #expect(none.students.isEmpty)
        var guardians = Xinyu_Directory_V1_ListGuardiansRequest()
        guardians.studentID = "G002"
        expectFailure(try await d.call("ListGuardians", guardians, as: Xinyu_Directory_V1_ListGuardiansResponse.self, principal: classTeacher), .notFound, "student G002 not found")
    }
}

@Suite("Heart grids (心网格)")
struct GridTests {
    func setGrid(_ d: DirectoryHarness, _ mentor: String, _ students: [String]) async throws -> Reply<Xinyu_Directory_V1_Grid> {
        var request = Xinyu_Directory_V1_SetGridRequest()
        request.grid.mentorID = mentor
        request.grid.studentIds = students
        return try await d.call("SetGrid", request, as: Xinyu_Directory_V1_Grid.self)
    }

    @Test("a mentor's grid is set, replaced, read, and bounds a grid-scoped principal")
    func roundTrip() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        try expectOK(await d.createStudent(makeStudent("G001")))
        try expectOK(await d.createStudent(makeStudent("G003", name: "李雷")))
        try expectOK(await d.createStudent(makeStudent("G002", school: "S002", schoolClass: "C002")))
        let set = try await setGrid(d, "T001", ["G001", "G003"])
        #expect(try expectOK(set).studentIds == ["G001", "G003"])
        #expect(set.subjects == ["G001", "G003"])
        expectFailure(try await setGrid(d, "T404", ["G001"]), .invalidArgument, "field grid.mentor_id: no staff T404")
        expectFailure(try await setGrid(d, "T001", ["G002"]), .invalidArgument, "student G002 is in school S002")
        expectFailure(try await setGrid(d, "T001", ["G001", "G001"]), .invalidArgument, "listed twice")
        try expectOK(await setGrid(d, "T001", ["G003"]))
        let got = try expectOK(await d.call("GetGrid", Xinyu_Directory_V1_GetGridRequest.with { $0.mentorID = "T001" }, as: Xinyu_Directory_V1_Grid.self))
        #expect(got.studentIds == ["G003"])

        let mentor = Principal(id: "staff:T001", kind: .person, permissions: ["directory.read"], scopes: [DataScope(kind: "grid", ids: ["T001"])])
        let listed = try expectOK(await d.call("ListStudents", Xinyu_Directory_V1_ListStudentsRequest(), as: Xinyu_Directory_V1_ListStudentsResponse.self, principal: mentor))
        #expect(listed.students.map(\.id) == ["G003"])
    }
}
