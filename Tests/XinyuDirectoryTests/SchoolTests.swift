import Testing
import XinyuCoreAPI
import XinyuWire

@Suite("Schools")
struct SchoolTests {
    @Test("create, get and update round-trip, Chinese text byte for byte")
    func roundTrip() async throws {
        let d = try DirectoryHarness()
        let created = try expectOK(await d.createSchool(makeSchool("NB-HS-001", name: "宁波市第一中学（东校区）", district: "海曙区", kind: .senior, subCentre: true)))
        #expect(created.name == "宁波市第一中学（东校区）")
        #expect(created.kind == .senior && created.subCentre)
        #expect(created.updatedAtMs > 0)

        let fetched = try expectOK(await d.call("GetSchool", Xinyu_Directory_V1_GetSchoolRequest.with { $0.id = "NB-HS-001" }, as: School.self))
        #expect(fetched == created)

        var changed = created
        changed.name = "宁波市第一中学"
        changed.kind = .junior
        changed.subCentre = false
        let updated = try expectOK(await d.call("UpdateSchool", Requests.update(changed), as: School.self))
        #expect(updated.name == "宁波市第一中学" && updated.kind == .junior && !updated.subCentre)
    }

    @Test("surrounding spaces, including the ideographic space, are trimmed")
    func trims() async throws {
        let d = try DirectoryHarness()
        let created = try expectOK(await d.createSchool(makeSchool(" S001 ", name: "\u{3000}实验小学 ", kind: .primary)))
        #expect(created.id == "S001" && created.name == "实验小学")
    }

    @Test("creating an existing school is ALREADY_EXISTS; updating or getting a missing one is NOT_FOUND")
    func existence() async throws {
        let d = try DirectoryHarness()
        try expectOK(await d.createSchool(makeSchool("S001")))
        expectFailure(try await d.createSchool(makeSchool("S001")), .alreadyExists, "S001")
        expectFailure(try await d.call("UpdateSchool", Requests.update(makeSchool("S404")), as: School.self), .notFound, "S404")
        expectFailure(try await d.call("GetSchool", Xinyu_Directory_V1_GetSchoolRequest.with { $0.id = "S404" }, as: School.self), .notFound, "no school S404")
        expectFailure(try await d.call("GetSchool", Xinyu_Directory_V1_GetSchoolRequest(), as: School.self), .invalidArgument, "field id: is required")
    }
}
