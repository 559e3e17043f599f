import Foundation
import SwiftProtobuf
import Testing
import XinyuClient
import XinyuCoreAPI
import XinyuCrisisAPI
import XinyuWire

/// The crisis plugin as a real process behind the real host, called over the operator socket.
/// (Permission and scope checks per role are unit tests: the operator socket gives every peer "*".)
@Suite("Crisis through the real host", .serialized)
struct CrisisEndToEndTests {
    static let method = "xinyu.crisis.v1.Crisis/"

    func seedDirectory(_ client: XinyuClient) async throws {
        let rosters: [(Xinyu_Directory_V1_RosterKind, String)] = [
            (.schools, "school_id,name,district,kind\nNB-001,宁波市第一中学,海曙区,senior\n"),
            (.staff, "staff_id,name,school_id\nP001,陈老师,NB-001\nT001,王老师,NB-001\n"),
            (.classes, "class_id,school_id,grade,name\nC-10-1,NB-001,10,1班\n"),
            (.students, "学籍号,姓名,性别,出生日期,学校代码,班级代码\nS1,张伟,男,2009-04-23,NB-001,C-10-1\nS2,李娜,女,2009-02-11,NB-001,C-10-1\nS3,王芳,女,2009-06-01,NB-001,C-10-1\n"),
        ]
        for (kind, csv) in rosters {
            var request = Xinyu_Directory_V1_ImportRosterRequest()
            request.kind = kind
            request.csv = Data(csv.utf8)
            var imported: Int64 = -1
            for try await event in try client.stream("xinyu.directory.v1.Directory/ImportRoster", request, as: Xinyu_Directory_V1_ImportRosterEvent.self) {
                if case .report(let r)? = event.event { imported = r.imported; #expect(r.errors.isEmpty, "\(r.errors)") }
            }
            #expect(imported > 0, "\(kind) imported")
        }
    }

    func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ client: XinyuClient, _ name: String, _ request: Request, as: Response.Type
    ) async throws -> Response {
        try await client.call(Self.method + name, request, as: Response.self)
    }

    @Test("screening to level 1, case, plan and approval; bulk import with a bad row; export and cross-check")
    func mainPaths() async throws {
        let host = try await RunningHost(plugins: ["crisis"])
        let client = try await host.client()
        try await seedDirectory(client)

        // PHQ-A with item 9 = 2 → level 1, with the explanation.
        var submission = Xinyu_Crisis_V1_ScreeningSubmission()
        submission.studentID = "S1"
        submission.instrumentID = "phq-a"
        submission.answers = [1, 0, 1, 0, 1, 0, 1, 0, 2]
        let submitted = try await call(client, "SubmitScreening", Xinyu_Crisis_V1_SubmitScreeningRequest.with { $0.submission = submission },
                                       as: Xinyu_Crisis_V1_SubmitScreeningResponse.self)
        #expect(submitted.level.level == 1 && submitted.levelChanged)
        #expect(submitted.level.explanation.contains("item9_positive") || submitted.level.explanation.contains("item 9"), "\(submitted.level.explanation)")
        let level = try await call(client, "GetWarningLevel", Xinyu_Crisis_V1_GetWarningLevelRequest.with { $0.studentID = "S1" }, as: Xinyu_Crisis_V1_WarningLevel.self)
        #expect(level.level == 1)

        // A bad answer is refused naming the field.
        submission.answers = [1, 0, 1, 0, 7, 0, 1, 0, 0]
        await #expect {
            _ = try await call(client, "SubmitScreening", Xinyu_Crisis_V1_SubmitScreeningRequest.with { $0.submission = submission }, as: Xinyu_Crisis_V1_SubmitScreeningResponse.self)
        } throws: { error in
            (error as? RPCError)?.code == .invalidArgument && (error as? RPCError)?.message.contains("submission.answers[4]") == true
        }

        // Case, owner, plan, approval.
        let opened = try await call(client, "OpenCase", Xinyu_Crisis_V1_OpenCaseRequest.with { $0.studentID = "S1"; $0.reason = "普测一级预警" }, as: Xinyu_Crisis_V1_Case.self)
        #expect(opened.tier == .school && opened.ownerID.isEmpty)
        let assigned = try await call(client, "AssignCase", Xinyu_Crisis_V1_AssignCaseRequest.with { $0.caseID = opened.id; $0.ownerID = "P001" }, as: Xinyu_Crisis_V1_Case.self)
        #expect(assigned.ownerID == "P001")
        let plan = try await call(client, "SavePlan", Xinyu_Crisis_V1_SavePlanRequest.with {
            $0.caseID = opened.id
            $0.goals = ["情绪稳定"]
            $0.measures = [.with { $0.description_p = "每日关注"; $0.responsibleID = "T001" }]
            $0.followUpStart = "2030-01-07"
            $0.followUpIntervalDays = 7
            $0.followUpCount = 3
        }, as: Xinyu_Crisis_V1_Plan.self)
        #expect(plan.status == .pendingApproval && plan.followUps.count == 3)
        let detail = try await call(client, "GetCase", Xinyu_Crisis_V1_GetCaseRequest.with { $0.caseID = opened.id }, as: Xinyu_Crisis_V1_CaseDetail.self)
        let approval = try #require(detail.approvals.first)
        let decided = try await call(client, "DecideApproval", Xinyu_Crisis_V1_DecideApprovalRequest.with { $0.approvalID = approval.id; $0.approve = true; $0.comment = "同意" }, as: Xinyu_Crisis_V1_Approval.self)
        #expect(decided.status == .approved)
        let followUp = try await call(client, "RecordFollowUp", Xinyu_Crisis_V1_RecordFollowUpRequest.with { $0.caseID = opened.id; $0.summary = "面谈，情绪平稳" }, as: Xinyu_Crisis_V1_FollowUp.self)
        #expect(followUp.origin == "extra" && !followUp.doneOn.isEmpty)

        // A round CSV with one bad row changes nothing and names the line and item.
        let csv = "学籍号,q1,q2,q3,q4,q5,q6,q7,q8,q9\nS2,0,0,0,0,0,0,0,0,1\nS3,0,0,0,9,0,0,0,0,0\n"
        var importRequest = Xinyu_Crisis_V1_ImportScreeningRoundRequest()
        importRequest.csv = Data(csv.utf8)
        importRequest.roundID = "2030-spring"
        importRequest.instrumentID = "phq-a"
        var report: Xinyu_Crisis_V1_ImportReport?
        var progress = 0
        for try await event in try client.stream(Self.method + "ImportScreeningRound", importRequest, as: Xinyu_Crisis_V1_ImportScreeningEvent.self) {
            switch event.event {
            case .progress?: progress += 1
            case .report(let r)?: report = r
            case nil: break
            }
        }
        #expect(progress >= 2)
        #expect(report?.nothingChanged == true && report?.errors.map { "\($0.line) \($0.field)" } == ["3 item 4"], "\(String(describing: report))")
        let s2 = try await call(client, "GetWarningLevel", Xinyu_Crisis_V1_GetWarningLevelRequest.with { $0.studentID = "S2" }, as: Xinyu_Crisis_V1_WarningLevel.self)
        #expect(s2.level == 0, "the good row of a rejected file changed nothing")

        // Export and cross-check.
        let export = try await call(client, "ExportWarnings", Xinyu_Crisis_V1_ExportWarningsRequest.with { $0.from = "2020-01-01"; $0.to = "2039-12-31"; $0.format = .csv }, as: Xinyu_Crisis_V1_ExportWarningsResponse.self)
        #expect(export.rows == 1 && String(decoding: export.content, as: UTF8.self).contains("张伟"))
        let check = try await call(client, "CrossCheck", Xinyu_Crisis_V1_CrossCheckRequest.with {
            $0.from = "2020-01-01"; $0.to = "2039-12-31"
            $0.healthFile = Data("学籍号,姓名,出生日期\nS1,张伟,2009-04-23\nX9,陈晨,2009-01-01\n".utf8)
        }, as: Xinyu_Crisis_V1_CrossCheckResponse.self)
        #expect(check.matched.map(\.studentID) == ["S1"] && check.healthOnly.count == 1 && check.warningOnly.isEmpty)
        let stats = try await call(client, "GetStatistics", Xinyu_Crisis_V1_GetStatisticsRequest(), as: Xinyu_Crisis_V1_Statistics.self)
        #expect(stats.total.level1 == 1 && stats.total.planCoverage == 1)

        // Names and answers never reach the host log.
        #expect(!host.log.contains("张伟") && !host.log.contains("李娜"))
        await client.close()
        _ = try await host.stop()
    }
}
