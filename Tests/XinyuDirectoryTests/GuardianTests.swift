import Testing
import XinyuCoreAPI
import XinyuWire

@Suite("Guardians")
struct GuardianTests {
    @Test("create, update and list; each reports the student for the audit")
    func roundTrip() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        try expectOK(await d.createStudent(makeStudent()))
        let create = try await d.createGuardian(makeGuardian(name: "李娜", relation: "母亲", phone: "+8613800000000"))
        let mother = try expectOK(create)
        #expect(mother.id > 0 && mother.name == "李娜" && mother.phone == "+8613800000000")
        #expect(create.subjects == ["G001"])
        try expectOK(await d.createGuardian(makeGuardian(name: "张强", relation: "父亲")))

        var changed = mother
        changed.phone = "13900000000"
        let update = try await d.call("UpdateGuardian", Requests.update(changed), as: Guardian.self)
        #expect(try expectOK(update).phone == "13900000000")
        #expect(update.subjects == ["G001"])

        let list = try await d.call("ListGuardians", Xinyu_Directory_V1_ListGuardiansRequest.with { $0.studentID = "G001" }, as: Xinyu_Directory_V1_ListGuardiansResponse.self)
        #expect(try expectOK(list).guardians.map(\.name) == ["李娜", "张强"])
        #expect(list.subjects == ["G001"])
    }

    @Test("ids, duplicates and missing rows")
    func errors() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        try expectOK(await d.createStudent(makeStudent()))
        try expectOK(await d.createGuardian(makeGuardian()))
        expectFailure(try await d.createGuardian(makeGuardian(id: 5)), .invalidArgument, "field guardian.id", "leave it 0")
        expectFailure(try await d.createGuardian(makeGuardian()), .alreadyExists, "student G001 already has a guardian with this name")
        expectFailure(try await d.createGuardian(makeGuardian(student: "G404")), .invalidArgument, "field guardian.student_id: no student G404")
        expectFailure(try await d.call("UpdateGuardian", Requests.update(makeGuardian(id: 0)), as: Guardian.self), .invalidArgument, "field guardian.id: is required")
        expectFailure(try await d.call("UpdateGuardian", Requests.update(makeGuardian(id: 999)), as: Guardian.self), .notFound, "no guardian 999")
        expectFailure(try await d.call("ListGuardians", Xinyu_Directory_V1_ListGuardiansRequest.with { $0.studentID = "G404" }, as: Xinyu_Directory_V1_ListGuardiansResponse.self), .notFound, "student G404 not found")
    }
}
