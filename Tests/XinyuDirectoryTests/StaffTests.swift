import Testing
import XinyuCoreAPI
import XinyuWire

@Suite("Staff")
struct StaffTests {
    @Test("create, get and update round-trip; roles come back sorted and unique")
    func roundTrip() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        let created = try expectOK(await d.createStaff(makeStaff("T002", name: "陈静", roles: ["mentor", "class_teacher", "mentor"])))
        #expect(created.roles == ["class_teacher", "mentor"])
        let fetched = try expectOK(await d.call("GetStaff", Xinyu_Directory_V1_GetStaffRequest.with { $0.id = "T002" }, as: Staff.self))
        #expect(fetched == created)

        var changed = fetched
        changed.roles = ["psych_teacher_full_time"]
        changed.schoolID = ""
        let updated = try expectOK(await d.call("UpdateStaff", Requests.update(changed), as: Staff.self))
        #expect(updated.roles == ["psych_teacher_full_time"] && updated.schoolID.isEmpty)
        #expect(updated.updatedAtMs >= fetched.updatedAtMs)

        expectFailure(try await d.createStaff(makeStaff("T002")), .alreadyExists, "staff T002 already exists")
        expectFailure(try await d.call("UpdateStaff", Requests.update(makeStaff("T404")), as: Staff.self), .notFound, "no staff T404")
        expectFailure(try await d.call("GetStaff", Xinyu_Directory_V1_GetStaffRequest.with { $0.id = "T404" }, as: Staff.self), .notFound, "no staff T404")
    }

    @Test("a homeroom teacher cannot leave the school of their class")
    func homeroomTeacherMoves() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        expectFailure(try await d.call("UpdateStaff", Requests.update(makeStaff("T001", school: "S002")), as: Staff.self),
                      .failedPrecondition, "field staff.school_id", "homeroom teacher of class C001")
        expectFailure(try await d.createStaff(makeStaff("T009", school: "S404")), .invalidArgument, "field staff.school_id: no school S404")
    }
}
