import Foundation
import SwiftProtobuf
import Testing
import XinyuCoreAPI
import XinyuWire

/// One invalid request and what its error must say.
struct InvalidRequest: Sendable, CustomTestStringConvertible {
    let method: String
    let request: any SwiftProtobuf.Message & Sendable
    /// "field <message>.<field>: …" fragments the message must contain.
    let expected: [String]

    init(_ method: String, _ request: any SwiftProtobuf.Message & Sendable, _ expected: String...) {
        self.method = method
        self.request = request
        self.expected = expected
    }

    var testDescription: String { "\(method): \(expected[0])" }
}

private func school(_ change: (inout School) -> Void) -> Xinyu_Directory_V1_CreateSchoolRequest {
    var value = makeSchool("S100")
    change(&value)
    return Requests.create(value)
}

private func schoolClass(_ change: (inout SchoolClass) -> Void) -> Xinyu_Directory_V1_CreateClassRequest {
    var value = makeClass("C100")
    change(&value)
    return Requests.create(value)
}

private func student(_ change: (inout Student) -> Void) -> Xinyu_Directory_V1_CreateStudentRequest {
    var value = makeStudent("G100")
    change(&value)
    return Requests.create(value)
}

private func guardian(_ change: (inout Guardian) -> Void) -> Xinyu_Directory_V1_CreateGuardianRequest {
    var value = makeGuardian(name: "新家长")
    change(&value)
    return Requests.create(value)
}

private func staff(_ change: (inout Staff) -> Void) -> Xinyu_Directory_V1_CreateStaffRequest {
    var value = makeStaff("T100")
    change(&value)
    return Requests.create(value)
}

private let longChineseName = String(repeating: "张", count: 65)

let invalidRequests: [InvalidRequest] = [
    InvalidRequest("CreateSchool", school { $0.id = "" }, "field school.id: is required"),
    InvalidRequest("CreateSchool", school { $0.id = "S 001" }, "field school.id: 'S 001' may contain only letters, digits, '-' and '_'"),
    InvalidRequest("CreateSchool", school { $0.id = String(repeating: "S", count: 33) }, "field school.id:", "longer than 32 characters"),
    InvalidRequest("CreateSchool", school { $0.name = "" }, "field school.name: is required"),
    InvalidRequest("CreateSchool", school { $0.name = longChineseName }, "field school.name: is 65 characters long, more than the limit of 64"),
    InvalidRequest("CreateSchool", school { $0.name = "第一\n中学" }, "field school.name: contains a line break"),
    InvalidRequest("CreateSchool", school { $0.district = " " }, "field school.district: is required"),
    InvalidRequest("CreateSchool", school { $0.kind = .unspecified }, "field school.kind: is required (primary/小学"),
    InvalidRequest("CreateSchool", school { $0.kind = .UNRECOGNIZED(9) }, "field school.kind: 9 is not a school kind"),
    InvalidRequest("CreateClass", schoolClass { $0.grade = 0 }, "field class.grade: is required (1–12"),
    InvalidRequest("CreateClass", schoolClass { $0.grade = 13 }, "field class.grade: 13 is not a grade"),
    InvalidRequest("CreateClass", schoolClass { $0.name = "" }, "field class.name: is required"),
    InvalidRequest("CreateClass", schoolClass { $0.schoolID = "" }, "field class.school_id: is required"),
    InvalidRequest("CreateClass", schoolClass { $0.homeroomTeacherID = "王老师" }, "field class.homeroom_teacher_id: '王老师' may contain only"),
    InvalidRequest("CreateStudent", student { $0.id = "1.23457E+17" }, "field student.id:", "scientific notation"),
    InvalidRequest("CreateStudent", student { $0.name = "" }, "field student.name: is required"),
    InvalidRequest("CreateStudent", student { $0.gender = .unspecified }, "field student.gender: is required (female or male)"),
    InvalidRequest("CreateStudent", student { $0.gender = .UNRECOGNIZED(3) }, "field student.gender: 3 is not a gender"),
    InvalidRequest("CreateStudent", student { $0.birthDate = "" }, "field student.birth_date: is required (YYYY-MM-DD)"),
    InvalidRequest("CreateStudent", student { $0.birthDate = "2011-13-01" }, "field student.birth_date: '2011-13-01' is not a date (use YYYY-MM-DD)"),
    InvalidRequest("CreateStudent", student { $0.birthDate = "2011-02-29" }, "field student.birth_date: '2011-02-29' is not a date"),
    InvalidRequest("CreateStudent", student { $0.birthDate = "2011/4/23" }, "field student.birth_date: '2011/4/23' is not a date (use YYYY-MM-DD)"),
    InvalidRequest("CreateStudent", student { $0.birthDate = "2999-01-01" }, "field student.birth_date: '2999-01-01' is in the future"),
    InvalidRequest("CreateStudent", student { $0.birthDate = "1899-12-31" }, "field student.birth_date: '1899-12-31' is before 1900"),
    InvalidRequest("CreateStudent", student { $0.schoolID = "" }, "field student.school_id: is required"),
    InvalidRequest("CreateStudent", student { $0.classID = "" }, "field student.class_id: is required"),
    InvalidRequest("CreateStudent", student { $0.name = ""; $0.birthDate = "2011-4-31" }, "field student.name: is required", "field student.birth_date: '2011-4-31' is not a date"),
    InvalidRequest("CreateGuardian", guardian { $0.studentID = "" }, "field guardian.student_id: is required"),
    InvalidRequest("CreateGuardian", guardian { $0.name = "" }, "field guardian.name: is required"),
    InvalidRequest("CreateGuardian", guardian { $0.relation = "" }, "field guardian.relation: is required"),
    InvalidRequest("CreateGuardian", guardian { $0.relation = String(repeating: "亲", count: 33) }, "field guardian.relation:", "limit of 32"),
    InvalidRequest("CreateGuardian", guardian { $0.phone = "" }, "field guardian.phone: is required"),
    InvalidRequest("CreateGuardian", guardian { $0.phone = "12ab5" }, "field guardian.phone: '12ab5' is not a phone number"),
    InvalidRequest("CreateGuardian", guardian { $0.phone = "1234" }, "field guardian.phone: '1234' is not a phone number"),
    InvalidRequest("CreateGuardian", guardian { $0.phone = String(repeating: "1", count: 21) }, "field guardian.phone:", "5 to 20 characters"),
    InvalidRequest("CreateGuardian", guardian { $0.phone = "138 0000 0000" }, "field guardian.phone: '138 0000 0000' is not a phone number"),
    InvalidRequest("CreateGuardian", guardian { $0.phone = "86+138000" }, "field guardian.phone: '86+138000' is not a phone number"),
    InvalidRequest("CreateStaff", staff { $0.name = "" }, "field staff.name: is required"),
    InvalidRequest("CreateStaff", staff { $0.schoolID = "S/1" }, "field staff.school_id: 'S/1' may contain only"),
    InvalidRequest("CreateStaff", staff { $0.roles = ["bad role"] }, "field staff.roles: role 'bad role' may contain only"),
    InvalidRequest("CreateStaff", staff { $0.roles = (1...17).map { "role\($0)" } }, "field staff.roles: has 17 roles, more than the limit of 16"),
    InvalidRequest("UpdateStudent", Requests.update(makeStudent(name: longChineseName)), "field student.name: is 65 characters long"),
    InvalidRequest("GetStudent", Xinyu_Directory_V1_GetStudentRequest.with { $0.id = "G 1" }, "field id: 'G 1' may contain only"),
    InvalidRequest("ListStudents", Xinyu_Directory_V1_ListStudentsRequest.with { $0.schoolID = "S 1" }, "field school_id: 'S 1' may contain only"),
    InvalidRequest("ListClasses", Xinyu_Directory_V1_ListClassesRequest.with { $0.grade = 13 }, "field grade: 13 is not a grade"),
    InvalidRequest("ListSchools", Xinyu_Directory_V1_ListSchoolsRequest.with { $0.kind = .UNRECOGNIZED(7) }, "field kind: 7 is not a school kind"),
    InvalidRequest("ImportRoster", Xinyu_Directory_V1_ImportRosterRequest.with { $0.csv = Data("id\nS1\n".utf8) }, "field kind: is required"),
]

@Suite("Validation")
struct ValidationTests {
    @Test("every invalid field is INVALID_ARGUMENT naming the field", arguments: invalidRequests)
    func namesTheField(_ invalid: InvalidRequest) async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        try expectOK(await d.createStudent(makeStudent()))
        let status = try await d.status(invalid.method, invalid.request)
        #expect(status.code == .invalidArgument, "\(status.code.name): \(status.message)")
        for fragment in invalid.expected {
            #expect(status.message.contains(fragment), "'\(status.message)' does not mention '\(fragment)'")
        }
        // Names of children are personal data: never quoted back, only described.
        #expect(!status.message.contains(longChineseName))
    }

    @Test("a leap day and an empty homeroom teacher are fine")
    func validEdges() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        try expectOK(await d.createStudent(makeStudent("G002", birthDate: "2012-02-29")))
        try expectOK(await d.createClass(makeClass("C003", teacher: "")))
    }
}

