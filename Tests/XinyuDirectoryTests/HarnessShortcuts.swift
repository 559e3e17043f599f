import Testing
import XinyuCoreAPI
import XinyuPluginSDK
import XinyuWire

typealias School = Xinyu_Directory_V1_School
typealias SchoolClass = Xinyu_Directory_V1_SchoolClass
typealias Student = Xinyu_Directory_V1_Student
typealias Guardian = Xinyu_Directory_V1_Guardian
typealias Staff = Xinyu_Directory_V1_Staff

extension DirectoryHarness {
    @discardableResult
    func createSchool(_ school: School, as principal: Principal = administrator) async throws -> Reply<School> {
        try await call("CreateSchool", Requests.create(school), as: School.self, principal: principal)
    }

    @discardableResult
    func createClass(_ schoolClass: SchoolClass) async throws -> Reply<SchoolClass> {
        try await call("CreateClass", Requests.create(schoolClass), as: SchoolClass.self)
    }

    @discardableResult
    func createStudent(_ student: Student) async throws -> Reply<Student> {
        try await call("CreateStudent", Requests.create(student), as: Student.self)
    }

    @discardableResult
    func createGuardian(_ guardian: Guardian) async throws -> Reply<Guardian> {
        try await call("CreateGuardian", Requests.create(guardian), as: Guardian.self)
    }

    @discardableResult
    func createStaff(_ staff: Staff) async throws -> Reply<Staff> {
        try await call("CreateStaff", Requests.create(staff), as: Staff.self)
    }

    func getStudent(_ id: String) async throws -> Reply<Student> {
        try await call("GetStudent", Xinyu_Directory_V1_GetStudentRequest.with { $0.id = id }, as: Student.self)
    }

    /// Two schools (S001 junior, S002 senior), class C001 in S001 with homeroom teacher T001,
    /// class C002 in S002: the usual ground for student and guardian tests.
    func seed() async throws {
        try await expectOK(createSchool(makeSchool("S001")))
        try await expectOK(createSchool(makeSchool("S002", name: "宁波市第二中学", district: "江北区", kind: .senior)))
        try await expectOK(createStaff(makeStaff("T001", school: "S001")))
        try await expectOK(createClass(makeClass("C001", school: "S001", grade: 7, teacher: "T001")))
        try await expectOK(createClass(makeClass("C002", school: "S002", grade: 10, name: "1班")))
    }
}

/// Requires a call to have succeeded, showing its status otherwise.
@discardableResult
func expectOK<R>(_ reply: Reply<R>, sourceLocation: SourceLocation = #_sourceLocation) throws -> R {
    try #require(reply.code == .ok, "\(reply.code.name): \(reply.message)", sourceLocation: sourceLocation)
    return reply.value
}

/// Expects a failure with this code whose message contains every fragment.
func expectFailure<R>(_ reply: Reply<R>, _ code: StatusCode, _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(reply.code == code, "\(reply.code.name): \(reply.message)", sourceLocation: sourceLocation)
    for fragment in fragments {
        #expect(reply.message.contains(fragment), "'\(reply.message)' does not mention '\(fragment)'", sourceLocation: sourceLocation)
    }
}
