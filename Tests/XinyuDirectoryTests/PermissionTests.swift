import Foundation
import Testing
import XinyuCoreAPI
import XinyuPluginSDK
import XinyuWire

@Suite("Permissions")
struct PermissionTests {
    @Test("a reader may read but not write or import; the refusal names the permission")
    func readerCannotWrite() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        expectFailure(try await d.createSchool(makeSchool("S100"), as: reader), .permissionDenied, "directory.write", "staff:T900")
        let update = try await d.status("UpdateStudent", Requests.update(makeStudent()), principal: reader)
        #expect(update.code == .permissionDenied && update.message.contains("'directory.write'"))
        let importing = try await d.status("ImportRoster", Xinyu_Directory_V1_ImportRosterRequest.with {
            $0.kind = .schools
            $0.csv = Data("id,name,district,kind\nS100,实验小学,海曙区,小学\n".utf8)
        }, principal: reader)
        #expect(importing.code == .permissionDenied && importing.message.contains("'directory.import'"))
        #expect(try d.count("directory_schools") == 2)

        let read = try await d.call("GetSchool", Xinyu_Directory_V1_GetSchoolRequest.with { $0.id = "S001" }, as: School.self, principal: reader)
        #expect(read.code == .ok)
    }

    @Test("a writer without directory.import cannot import")
    func writerCannotImport() async throws {
        let d = try DirectoryHarness()
        let writer = Principal(id: "operator:clerk", kind: .operator, permissions: ["directory.read", "directory.write"])
        let status = try await d.status("ImportRoster", Xinyu_Directory_V1_ImportRosterRequest.with { $0.kind = .schools }, principal: writer)
        #expect(status.code == .permissionDenied && status.message.contains("'directory.import'"))
    }
}
