import Foundation
import Testing
import XinyuClient
import XinyuCoreAPI
import XinyuRPC
import XinyuWire

@Suite("Directory through the real host", .serialized)
struct DirectoryEndToEndTests {
    func importRoster(_ client: XinyuClient, _ kind: Xinyu_Directory_V1_RosterKind, _ csv: String, skipBadRows: Bool = false) async throws -> (progress: Int, report: Xinyu_Directory_V1_ImportReport?) {
        var request = Xinyu_Directory_V1_ImportRosterRequest()
        request.kind = kind
        request.csv = Data(csv.utf8)
        request.skipBadRows = skipBadRows
        var progress = 0
        var report: Xinyu_Directory_V1_ImportReport?
        for try await event in try client.stream("xinyu.directory.v1.Directory/ImportRoster", request, as: Xinyu_Directory_V1_ImportRosterEvent.self) {
            switch event.event {
            case .progress?: progress += 1
            case .report(let r)?: report = r
            case nil: break
            }
        }
        return (progress, report)
    }

    @Test("CSV import with bad rows imports nothing and names each bad row by line and field")
    func importWithBadRows() async throws {
        let host = try await RunningHost(plugins: [])
        let client = try await host.client()
        let schools = try await importRoster(client, .schools, "school_id,name,district,kind\nNB-001,宁波市第一中学,海曙区,senior\n")
        #expect(schools.report?.imported == 1)
        let classes = try await importRoster(client, .classes, "class_id,school_id,grade,name\nC-10-1,NB-001,10,1班\n")
        #expect(classes.report?.imported == 1)

        let students = """
        学籍号,姓名,性别,出生日期,学校代码,班级代码
        S2024-0001,张伟,男,2009-04-23,NB-001,C-10-1
        S2024-0002,李娜,女,2009-13-01,NB-001,C-10-1
        S2024-0003,王芳,女,2009-02-11,NB-999,C-10-1
        """
        let bad = try await importRoster(client, .students, students)
        let report = try #require(bad.report)
        #expect(bad.progress >= 1, "progress events come before the report")
        #expect(report.nothingChanged)
        #expect(report.imported == 0)
        #expect(report.errors.contains { $0.line == 3 && $0.field == "出生日期" || $0.line == 3 && $0.field == "birth_date" }, "\(report.errors)")
        #expect(report.errors.contains { $0.line == 4 }, "\(report.errors)")
        #expect(!report.errors.contains { $0.line == 2 })

        var list = Xinyu_Directory_V1_ListStudentsRequest()
        list.schoolID = "NB-001"
        let none = try await client.call("xinyu.directory.v1.Directory/ListStudents", list, as: Xinyu_Directory_V1_ListStudentsResponse.self)
        #expect(none.total == 0, "nothing was imported")

        let skipped = try await importRoster(client, .students, students, skipBadRows: true)
        #expect(skipped.report?.imported == 1)
        #expect(skipped.report?.skipped == 2)
        let one = try await client.call("xinyu.directory.v1.Directory/ListStudents", list, as: Xinyu_Directory_V1_ListStudentsResponse.self)
        #expect(one.students.map(\.name) == ["张伟"])

        // Student names never reach the host log.
        #expect(!host.log.contains("张伟") && !host.log.contains("李娜"))
        await client.close()
        _ = try await host.stop()
    }
}
