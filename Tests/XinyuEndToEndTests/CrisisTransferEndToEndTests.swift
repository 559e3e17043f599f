import Foundation
import SwiftProtobuf
import Testing
import XinyuClient
import XinyuCoreAPI
import XinyuCrisisAPI
import XinyuWire

/// Issue 12 §2, §4, §5 through the real host and crisis process: a student who changes school
/// (转学 after 休学复学) is seen by the new school's staff, not the old one's; the clinical minimum
/// for a class teacher; the national student number from the directory in the export.
@Suite("Crisis transfers and clinical visibility through the real host", .serialized)
struct CrisisTransferEndToEndTests {
    static let crisis = "xinyu.crisis.v1.Crisis/"
    static let directory = "xinyu.directory.v1.Directory/"

    func importRosters(_ client: XinyuClient) async throws {
        let rosters: [(Xinyu_Directory_V1_RosterKind, String)] = [
            (.schools, "school_id,name,district,kind\nNB-001,宁波市第一中学,海曙区,senior\nNB-002,宁波市第二中学,江北区,senior\n"),
            (.staff, "staff_id,name,school_id\nP001,陈老师,NB-001\nP002,林老师,NB-002\nT002,周老师,NB-002\n"),
            (.classes, "class_id,school_id,grade,name\nC-10-1,NB-001,10,1班\nC-10-2,NB-002,10,2班\n"),
            (.students, "学号,姓名,性别,出生日期,学校代码,班级代码,全国学籍号\nS1,张伟,男,2009-04-23,NB-001,C-10-1,G330203200904230011\nS2,李娜,女,2009-02-11,NB-001,C-10-1,\n"),
        ]
        for (kind, csv) in rosters {
            var request = Xinyu_Directory_V1_ImportRosterRequest()
            request.kind = kind
            request.csv = Data(csv.utf8)
            for try await event in try client.stream(Self.directory + "ImportRoster", request, as: Xinyu_Directory_V1_ImportRosterEvent.self) {
                if case .report(let r)? = event.event { #expect(r.errors.isEmpty && r.imported > 0, "\(kind): \(r.errors)") }
            }
        }
    }

    func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ client: XinyuClient, _ name: String, _ request: Request, as: Response.Type
    ) async throws -> Response {
        try await client.call(Self.crisis + name, request, as: Response.self)
    }

    func notFound<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ client: XinyuClient, _ name: String, _ request: Request, as: Response.Type
    ) async -> Bool {
        do {
            _ = try await call(client, name, request, as: Response.self)
            return false
        } catch let error as RPCError {
            return error.code == .notFound
        } catch {
            return false
        }
    }

    @Test("a transfer moves the case, plan and history to the new school's psych teacher; the audit shows the move")
    func transfer() async throws {
        let host = try await RunningHost(plugins: ["crisis"])
        let client = try await host.client()
        try await importRosters(client)
        let oldPsych = try await host.client(token: try await host.createPrincipal("staff:P001", name: "陈老师", roles: ["psych_teacher"], scopes: [("school", ["NB-001"])]))
        let newPsych = try await host.client(token: try await host.createPrincipal("staff:P002", name: "林老师", roles: ["psych_teacher"], scopes: [("school", ["NB-002"])]))

        // S1 at level 1 with a case and a plan, written while in NB-001.
        var submission = Xinyu_Crisis_V1_ScreeningSubmission()
        submission.studentID = "S1"
        submission.instrumentID = "phq-a"
        submission.answers = [1, 0, 1, 0, 1, 0, 1, 0, 2]
        _ = try await call(client, "SubmitScreening", Xinyu_Crisis_V1_SubmitScreeningRequest.with { $0.submission = submission }, as: Xinyu_Crisis_V1_SubmitScreeningResponse.self)
        let opened = try await call(oldPsych, "OpenCase", Xinyu_Crisis_V1_OpenCaseRequest.with { $0.studentID = "S1"; $0.reason = "普测一级预警，自述有自伤念头" }, as: Xinyu_Crisis_V1_Case.self)
        _ = try await call(oldPsych, "SavePlan", Xinyu_Crisis_V1_SavePlanRequest.with {
            $0.caseID = opened.id; $0.goals = ["降低自伤风险"]; $0.measures = [.with { $0.description_p = "每日关注"; $0.responsibleID = "T002" }]
            $0.followUpStart = "2030-01-07"; $0.followUpIntervalDays = 7; $0.followUpCount = 2
        }, as: Xinyu_Crisis_V1_Plan.self)
        let getCase = Xinyu_Crisis_V1_GetCaseRequest.with { $0.caseID = opened.id }
        let schoolTwo = Xinyu_Crisis_V1_ListWarningsRequest.with { $0.schoolID = "NB-002" }
        #expect(try await call(oldPsych, "GetCase", getCase, as: Xinyu_Crisis_V1_CaseDetail.self).case.studentID == "S1")
        #expect(await notFound(newPsych, "GetCase", getCase, as: Xinyu_Crisis_V1_CaseDetail.self))
        #expect(try await call(newPsych, "ListCases", Xinyu_Crisis_V1_ListCasesRequest(), as: Xinyu_Crisis_V1_ListCasesResponse.self).cases.isEmpty)

        // The directory moves S1 to NB-002 (转学), through its API.
        var student = try await client.call(Self.directory + "GetStudent", Xinyu_Directory_V1_GetStudentRequest.with { $0.id = "S1" }, as: Xinyu_Directory_V1_Student.self)
        #expect(student.nationalStudentID == "G330203200904230011", "the 全国学籍号 column of the import")
        student.schoolID = "NB-002"
        student.classID = "C-10-2"
        _ = try await client.call(Self.directory + "UpdateStudent", Xinyu_Directory_V1_UpdateStudentRequest.with { $0.student = student }, as: Xinyu_Directory_V1_Student.self)

        // The old school's psych teacher loses sight at once; the new one gains case, plan, history, lists.
        #expect(await notFound(oldPsych, "GetCase", getCase, as: Xinyu_Crisis_V1_CaseDetail.self))
        #expect(await notFound(oldPsych, "GetWarningLevel", Xinyu_Crisis_V1_GetWarningLevelRequest.with { $0.studentID = "S1" }, as: Xinyu_Crisis_V1_WarningLevel.self))
        #expect(try await call(oldPsych, "ListCases", Xinyu_Crisis_V1_ListCasesRequest(), as: Xinyu_Crisis_V1_ListCasesResponse.self).cases.isEmpty)
        #expect(try await call(oldPsych, "ListWarnings", Xinyu_Crisis_V1_ListWarningsRequest(), as: Xinyu_Crisis_V1_ListWarningsResponse.self).warnings.isEmpty)
        let moved = try await call(newPsych, "GetCase", getCase, as: Xinyu_Crisis_V1_CaseDetail.self)
        #expect(moved.hasPlan_p && moved.case.reason.contains("自伤"), "psych staff see the clinical content")
        #expect(try await call(newPsych, "GetPlan", Xinyu_Crisis_V1_GetPlanRequest.with { $0.caseID = opened.id }, as: Xinyu_Crisis_V1_Plan.self).goals == ["降低自伤风险"])
        #expect(try await call(newPsych, "ListCases", Xinyu_Crisis_V1_ListCasesRequest(), as: Xinyu_Crisis_V1_ListCasesResponse.self).cases.map(\.id) == [opened.id])
        #expect(try await call(newPsych, "ListWarnings", schoolTwo, as: Xinyu_Crisis_V1_ListWarningsResponse.self).warnings.map(\.studentID) == ["S1"])
        #expect(try await call(newPsych, "ListLevelHistory", Xinyu_Crisis_V1_ListLevelHistoryRequest.with { $0.studentID = "S1" },
                               as: Xinyu_Crisis_V1_ListLevelHistoryResponse.self).changes.count == 1)
        let stats = try await call(newPsych, "GetStatistics", Xinyu_Crisis_V1_GetStatisticsRequest(), as: Xinyu_Crisis_V1_Statistics.self)
        #expect(stats.schools.map(\.schoolID) == ["NB-002"] && stats.total.level1 == 1 && stats.total.openCases == 1)

        // §2 through the host: the new class teacher sees the level, that a plan exists and their measure, not the reason or goals.
        let teacher = try await host.client(token: try await host.createPrincipal("staff:T002", name: "周老师", roles: ["class_teacher"], scopes: [("class", ["C-10-2"])]))
        let seen = try await call(teacher, "GetCase", getCase, as: Xinyu_Crisis_V1_CaseDetail.self)
        #expect(seen.case.level == 1 && seen.hasPlan_p && seen.case.reason.isEmpty && seen.events.allSatisfy(\.reason.isEmpty))
        let plan = try await call(teacher, "GetPlan", Xinyu_Crisis_V1_GetPlanRequest.with { $0.caseID = opened.id }, as: Xinyu_Crisis_V1_Plan.self)
        #expect(plan.restrictedView && plan.goals.isEmpty && plan.measures.map(\.responsibleID) == ["T002"] && plan.followUps.map(\.dueOn) == ["2030-01-07", "2030-01-14"])
        let level = try await call(teacher, "GetWarningLevel", Xinyu_Crisis_V1_GetWarningLevelRequest.with { $0.studentID = "S1" }, as: Xinyu_Crisis_V1_WarningLevel.self)
        #expect(level.level == 1 && level.explanation.isEmpty && !level.reviewDue.isEmpty)

        // §5: the export carries the directory's 全国学籍号 and writes gender 男/女.
        let exported = try await call(client, "ExportWarnings", Xinyu_Crisis_V1_ExportWarningsRequest.with { $0.from = "2020-01-01"; $0.to = "2099-12-31"; $0.format = .csv },
                                      as: Xinyu_Crisis_V1_ExportWarningsResponse.self)
        let text = String(decoding: exported.content, as: UTF8.self)
        #expect(text.contains("S1,G330203200904230011,张伟,男,2009-04-23,NB-002,宁波市第二中学,C-10-2,1,"), "\(text)")

        // The audit trail shows the move with the student as subject (ids of schools and classes only).
        let audit = try await host.operatorClient()
        var query = Xinyu_Admin_V1_QueryAuditRequest()
        query.subject = "S1"
        query.method = Self.directory + "UpdateStudent"
        let records = try await audit.call("xinyu.admin.v1.Admin/QueryAudit", query, as: Xinyu_Admin_V1_QueryAuditResponse.self).records
        #expect(records.contains { $0.detail.contains("student moved from school NB-001 class C-10-1 to school NB-002 class C-10-2") }, "\(records.map(\.detail))")
        _ = try await host.stop()
    }
}
