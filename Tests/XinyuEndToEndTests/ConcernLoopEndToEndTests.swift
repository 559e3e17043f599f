import Foundation
import NIOConcurrencyHelpers
import SwiftProtobuf
import Testing
import XinyuChildProcess
import XinyuClient
import XinyuCoreAPI
import XinyuCrisisAPI
import XinyuRPC
import XinyuTrainingAPI
import XinyuWire

/// The heart-grid loop through the real host with the training and crisis plugins: the grid is
/// built by training (written into the directory), a mentor raises a concern about a student of
/// their grid, the school's psych teacher finds it on the workbench (also through `xinyu crisis
/// work`) and records an outcome, and each mentor sees the status of their own concerns only.
@Suite("The heart-grid concern loop through the real host", .serialized)
struct ConcernLoopEndToEndTests {
    func importRoster(_ client: XinyuClient, _ kind: Xinyu_Directory_V1_RosterKind, _ csv: String) async throws {
        var request = Xinyu_Directory_V1_ImportRosterRequest()
        request.kind = kind
        request.csv = Data(csv.utf8)
        for try await event in try client.stream("xinyu.directory.v1.Directory/ImportRoster", request, as: Xinyu_Directory_V1_ImportRosterEvent.self) {
            if case .report(let r)? = event.event { #expect(r.errors.isEmpty && r.imported > 0, "\(kind): \(r.errors)") }
        }
    }

    func crisis<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ client: XinyuClient, _ name: String, _ request: Request, as: Response.Type, key: String? = nil
    ) async throws -> Response {
        try await client.call("xinyu.crisis.v1.Crisis/" + name, request, as: Response.self, options: CallOptions(timeout: .seconds(30), idempotencyKey: key))
    }

    /// Runs the `xinyu` CLI against the host; its exit status and standard output.
    func cli(_ host: RunningHost, token: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let tokenFile = host.directory.appendingPathComponent("cli-\(UUID().uuidString.prefix(6)).token").path
        try token.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let output = NIOLockedValueBox("")
        let lines = NIOLockedValueBox(0)
        let process = try ChildProcess.spawn(
            executable: RunningHost.binDirectory.appendingPathComponent("xinyu").path,
            arguments: arguments + ["--socket", host.socketPath, "--token-file", tokenFile],
            standardOutput: .lines { line in output.withLockedValue { $0 += line + "\n" }; lines.withLockedValue { $0 += 1 } },
            standardError: .lines { line in output.withLockedValue { $0 += "stderr: " + line + "\n" } })
        let status = await process.waitForExit()
        // Lines are delivered on the reader thread: wait until the output has stopped growing.
        let seen = NIOLockedValueBox(-1)
        try await waitUntil("the CLI's output", timeout: .seconds(5)) {
            let now = lines.withLockedValue { $0 }
            return seen.withLockedValue { before in defer { before = now }; return now == before && now > 0 }
        }
        return (status.shellCode, output.withLockedValue { $0 })
    }

    @Test("a mentor raises a concern from their grid; the psych teacher sees it on the workbench and the CLI, records an outcome; each mentor sees only their own")
    func concernLoop() async throws {
        let host = try await RunningHost(plugins: ["crisis", "training"])
        let tester = try await host.client()
        let students = (1...20).map { String(format: "S%02d,学生%@,%@,2010-01-01,NB-001,%@", $0, ["甲", "乙", "丙", "丁"][$0 % 4], $0 % 2 == 0 ? "女" : "男", $0 <= 12 ? "C-8-1" : "C-8-2") }
        try await importRoster(tester, .schools, "school_id,name,district,kind\nNB-001,宁波市第一中学,海曙区,junior\n")
        try await importRoster(tester, .staff, "staff_id,name,school_id,roles\nM1,王老师,NB-001,mentor\nM2,赵老师,NB-001,mentor\nP1,陈老师,NB-001,psych_teacher_full_time\n")
        try await importRoster(tester, .classes, "class_id,school_id,grade,name\nC-8-1,NB-001,8,1班\nC-8-2,NB-001,8,2班\n")
        try await importRoster(tester, .students, "学籍号,姓名,性别,出生日期,学校代码,班级代码\n\(students.joined(separator: "\n"))\n")

        // The growth centre builds the school's heart grid through the training plugin.
        let centre = try await host.client(token: try await host.createPrincipal("staff:G001", roles: ["growth_centre"], scopes: [("city", [])]))
        let report = try await centre.call("xinyu.training.v1.Training/BuildGrid", Xinyu_Training_V1_BuildGridRequest.with { $0.schoolID = "NB-001"; $0.reason = "新学期建网格" },
                                           as: Xinyu_Training_V1_GridBuildReport.self, options: CallOptions(idempotencyKey: "grid-1"))
        #expect(report.newlyAssigned == 20)

        let m1 = try await host.client(token: try await host.createPrincipal("staff:M1", roles: ["mentor"], scopes: [("grid", ["M1"])]))
        let m2 = try await host.client(token: try await host.createPrincipal("staff:M2", roles: ["mentor"], scopes: [("grid", ["M2"])]))
        let psychToken = try await host.createPrincipal("staff:P1", name: "陈老师", roles: ["psych_teacher"], scopes: [("school", ["NB-001"])])
        let psych = try await host.client(token: psychToken)
        let grid1 = try await m1.call("xinyu.training.v1.Training/ListGrid", Xinyu_Training_V1_ListGridRequest.with { $0.mentorID = "M1" }, as: Xinyu_Training_V1_ListGridResponse.self)
        let grid2 = try await m2.call("xinyu.training.v1.Training/ListGrid", Xinyu_Training_V1_ListGridRequest.with { $0.mentorID = "M2" }, as: Xinyu_Training_V1_ListGridResponse.self)
        let student1 = try #require(grid1.studentIds.first)
        let student2 = try #require(grid2.studentIds.first)

        let concern1 = try await crisis(m1, "RaiseConcern", Xinyu_Crisis_V1_RaiseConcernRequest.with { $0.studentID = student1; $0.description_p = "连续三天独自哭泣" },
                                        as: Xinyu_Crisis_V1_Concern.self, key: "concern-m1")
        let concern2 = try await crisis(m2, "RaiseConcern", Xinyu_Crisis_V1_RaiseConcernRequest.with { $0.studentID = student2; $0.description_p = "上课走神" },
                                        as: Xinyu_Crisis_V1_Concern.self, key: "concern-m2")

        // The psych teacher's workbench holds both concerns, with the students' names.
        let work = try await crisis(psych, "ListMyWork", Xinyu_Crisis_V1_ListMyWorkRequest(), as: Xinyu_Crisis_V1_ListMyWorkResponse.self)
        #expect(work.items.map(\.kind) == [.concernToAcknowledge, .concernToAcknowledge])
        #expect(work.items.map(\.refID) == [concern1.id, concern2.id])
        #expect(work.items.allSatisfy { $0.studentName.hasPrefix("学生") } && work.timeZone == "Asia/Shanghai")

        // The same through the CLI: a table with the Chinese names, and --json.
        let table = try await cli(host, token: psychToken, ["crisis", "work"])
        #expect(table.status == 0, "\(table.output)")
        #expect(table.output.contains("2 items") && table.output.contains(work.items[0].studentName) && table.output.contains("concern"), "\(table.output)")
        let json = try await cli(host, token: psychToken, ["crisis", "work", "--json"])
        #expect(json.status == 0, "\(json.output)")
        let decoded = try Xinyu_Crisis_V1_ListMyWorkResponse(jsonString: json.output)
        #expect(decoded.items.map(\.studentName) == work.items.map(\.studentName) && decoded.total == 2)

        // The outcome closes the loop; the mentor who raised it sees the status, not the note.
        let recorded = try await crisis(psych, "RecordConcernOutcome", Xinyu_Crisis_V1_RecordConcernOutcomeRequest.with {
            $0.concernID = concern1.id; $0.outcome = .watch; $0.note = "已约谈，持续关注"
        }, as: Xinyu_Crisis_V1_Concern.self, key: "outcome-1")
        #expect(recorded.outcome == .watch && recorded.status == .acknowledged)
        let mine1 = try await crisis(m1, "ListMyConcerns", Xinyu_Crisis_V1_ListMyConcernsRequest(), as: Xinyu_Crisis_V1_ListConcernsResponse.self)
        #expect(mine1.concerns.map(\.id) == [concern1.id])
        #expect(mine1.concerns.first?.outcome == .watch && mine1.concerns.first?.outcomeNote == "")
        let mine2 = try await crisis(m2, "ListMyConcerns", Xinyu_Crisis_V1_ListMyConcernsRequest(), as: Xinyu_Crisis_V1_ListConcernsResponse.self)
        #expect(mine2.concerns.map(\.id) == [concern2.id] && mine2.concerns.first?.outcome == .unspecified)
        // A mentor neither records outcomes nor lists the school's concerns.
        await #expect {
            _ = try await crisis(m1, "RecordConcernOutcome", Xinyu_Crisis_V1_RecordConcernOutcomeRequest.with { $0.concernID = concern2.id; $0.outcome = .noConcern },
                                 as: Xinyu_Crisis_V1_Concern.self, key: "outcome-2")
        } throws: { ($0 as? RPCError)?.code == .permissionDenied }
        await #expect {
            _ = try await crisis(m1, "ListConcerns", Xinyu_Crisis_V1_ListConcernsRequest(), as: Xinyu_Crisis_V1_ListConcernsResponse.self)
        } throws: { ($0 as? RPCError)?.code == .permissionDenied }
        let after = try await crisis(psych, "ListMyWork", Xinyu_Crisis_V1_ListMyWorkRequest(), as: Xinyu_Crisis_V1_ListMyWorkResponse.self)
        #expect(after.items.map(\.refID) == [concern2.id], "the concern with an outcome is off the workbench")

        for client in [m1, m2, psych, centre, tester] { await client.close() }
        _ = try await host.stop()
    }
}
