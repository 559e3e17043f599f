import Foundation
import GRDB
import Testing
import XinyuCrisisAPI
import XinyuPluginSDK

/// Issue 12 §3: cases and removal without dead ends.
@Suite("Removal without a case, the approvals inbox, plan revisions, follow-ups after a return")
struct SupervisionTests {
    @Test("a student raised by screening who never had a case can be removed from the warning database")
    func removalWithoutCase() async throws {
        let h = try CrisisHarness()
        try await h.submit(phqA("S2", [2, 2, 2, 2, 1, 1, 0, 0, 0], extras: answeredExtras))   // total 10, moderate → level 3
        #expect(try await h.openCases().isEmpty)
        let missing = try await h.call("RequestApproval", Xinyu_Crisis_V1_RequestApprovalRequest.with { $0.subject = .removal; $0.reason = "复评正常" },
                                       as: Xinyu_Crisis_V1_Approval.self)
        #expect(missing.code == .invalidArgument && missing.message.contains("case_id"))
        let closure = try await h.call("RequestApproval", Xinyu_Crisis_V1_RequestApprovalRequest.with { $0.subject = .closure; $0.studentID = "S2"; $0.reason = "x" },
                                       as: Xinyu_Crisis_V1_Approval.self)
        #expect(closure.code == .invalidArgument)
        let requested = try await h.call("RequestApproval", Xinyu_Crisis_V1_RequestApprovalRequest.with {
            $0.subject = .removal; $0.studentID = "S2"; $0.reason = "复评正常"
        }, as: Xinyu_Crisis_V1_Approval.self)
        #expect(requested.code == .ok && requested.value.caseID.isEmpty && requested.value.studentID == "S2", "\(requested.message)")
        let decided = try await h.call("DecideApproval", Xinyu_Crisis_V1_DecideApprovalRequest.with { $0.approvalID = requested.value.id; $0.approve = true },
                                       as: Xinyu_Crisis_V1_Approval.self, principal: supervisor)
        #expect(decided.code == .ok && decided.value.status == .approved, "\(decided.message)")
        let level = try await h.call("GetWarningLevel", Xinyu_Crisis_V1_GetWarningLevelRequest.with { $0.studentID = "S2" }, as: Xinyu_Crisis_V1_WarningLevel.self)
        #expect(level.value.level == 0 && level.value.source == .removal)
        let notThere = try await h.call("RequestApproval", Xinyu_Crisis_V1_RequestApprovalRequest.with { $0.subject = .removal; $0.studentID = "S2"; $0.reason = "again" },
                                        as: Xinyu_Crisis_V1_Approval.self)
        #expect(notThere.code == .failedPrecondition)
    }

    @Test("the approvals inbox lists what the caller may decide: in scope, not their own request")
    func inbox() async throws {
        let h = try CrisisHarness()
        let opened = try await h.levelOneCase()
        _ = try await h.call("SavePlan", plan(opened.id, goals: ["情绪稳定"]), as: Xinyu_Crisis_V1_Plan.self)
        _ = try await h.setLevel("S3", 3)
        _ = try await h.call("RequestApproval", Xinyu_Crisis_V1_RequestApprovalRequest.with { $0.subject = .removal; $0.studentID = "S3"; $0.reason = "复评正常" },
                             as: Xinyu_Crisis_V1_Approval.self)
        func inbox(_ principal: Principal) async throws -> Reply<Xinyu_Crisis_V1_ListPendingApprovalsResponse> {
            try await h.call("ListPendingApprovals", Xinyu_Crisis_V1_ListPendingApprovalsRequest(), as: Xinyu_Crisis_V1_ListPendingApprovalsResponse.self, principal: principal)
        }
        let mine = try await inbox(supervisor)
        #expect(mine.value.approvals.map(\.subject) == [.plan, .removal] && mine.value.approvals.map(\.studentID) == ["S1", "S3"])
        #expect(mine.value.approvals.first?.planVersion == 1)
        #expect(try await inbox(psych).value.approvals.isEmpty, "P001 asked for both: four eyes")
        #expect(try await inbox(supervisorOfB).value.approvals.isEmpty, "school A is outside G002's scope")
        #expect(try await inbox(classTeacher).code == .permissionDenied)
        let first = try #require(mine.value.approvals.first)
        _ = try await h.call("DecideApproval", Xinyu_Crisis_V1_DecideApprovalRequest.with { $0.approvalID = first.id; $0.approve = true },
                             as: Xinyu_Crisis_V1_Approval.self, principal: supervisor)
        #expect(try await inbox(supervisor).value.approvals.map(\.studentID) == ["S3"])
    }

    @Test("plan revisions keep which version was approved, by whom, and what changed")
    func revisions() async throws {
        let h = try CrisisHarness()
        let opened = try await h.levelOneCase()
        func approvalID() async throws -> String {
            try await h.call("GetCase", Xinyu_Crisis_V1_GetCaseRequest.with { $0.caseID = opened.id }, as: Xinyu_Crisis_V1_CaseDetail.self)
                .value.approvals.first { $0.subject == .plan && $0.status == .pending }?.id ?? ""
        }
        _ = try await h.call("SavePlan", plan(opened.id, goals: ["情绪稳定"]), as: Xinyu_Crisis_V1_Plan.self)
        let rejected = try await h.call("DecideApproval", Xinyu_Crisis_V1_DecideApprovalRequest.with { $0.approvalID = ""; $0.approve = false; $0.comment = "目标过于笼统" },
                                        as: Xinyu_Crisis_V1_Approval.self, principal: supervisor)
        #expect(rejected.code == .invalidArgument)
        let id1 = try await approvalID()
        _ = try await h.call("DecideApproval", Xinyu_Crisis_V1_DecideApprovalRequest.with { $0.approvalID = id1; $0.approve = false; $0.comment = "目标过于笼统" },
                             as: Xinyu_Crisis_V1_Approval.self, principal: supervisor)
        _ = try await h.call("SavePlan", plan(opened.id, goals: ["两周内情绪稳定", "恢复正常作息"], teacherMeasure: "每日课间关注情绪"), as: Xinyu_Crisis_V1_Plan.self)
        _ = try await h.call("SavePlan", plan(opened.id, goals: ["两周内情绪稳定", "恢复正常作息"], interval: 5), as: Xinyu_Crisis_V1_Plan.self)
        let id3 = try await approvalID()
        let approved = try await h.call("DecideApproval", Xinyu_Crisis_V1_DecideApprovalRequest.with { $0.approvalID = id3; $0.approve = true; $0.comment = "同意" },
                                        as: Xinyu_Crisis_V1_Approval.self, principal: supervisor)
        #expect(approved.value.planVersion == 3)

        let history = try await h.call("ListPlanRevisions", Xinyu_Crisis_V1_ListPlanRevisionsRequest.with { $0.caseID = opened.id },
                                       as: Xinyu_Crisis_V1_ListPlanRevisionsResponse.self)
        #expect(history.code == .ok, "\(history.message)")
        let r = history.value.revisions
        #expect(r.map(\.version) == [1, 2, 3] && r.map(\.status) == ["rejected", "superseded", "approved"])
        #expect(history.value.approvedVersion == 3 && r[2].decidedBy == "staff:G001" && r[0].comment == "目标过于笼统")
        #expect(r[1].changes.contains("goal added: 两周内情绪稳定") && r[1].changes.contains("goal removed: 情绪稳定"))
        #expect(r[1].changes.contains("measure added: 每日课间关注情绪 (T001)") && r[1].changes.contains("measure removed: 每日课间关注 (T001)"))
        #expect(r[2].changes.contains { $0.hasPrefix("follow-ups: every 5 days") })

        // The class teacher sees versions as GetPlan shows a plan: no goals, only their measures.
        let teacher = try await h.call("ListPlanRevisions", Xinyu_Crisis_V1_ListPlanRevisionsRequest.with { $0.caseID = opened.id },
                                       as: Xinyu_Crisis_V1_ListPlanRevisionsResponse.self, principal: classTeacher)
        #expect(teacher.value.restrictedView && teacher.value.revisions.allSatisfy { $0.goals.isEmpty })
        #expect(teacher.value.revisions.allSatisfy { $0.measures.allSatisfy { $0.responsibleID == "T001" } })
        #expect(!teacher.value.revisions.flatMap(\.changes).contains { $0.contains("情绪稳定") }, "no goal leaks through the changes")
    }

    @Test("follow-ups after a return belong to a case and can be recorded: a monitoring case, or the last one reopened")
    func returnFollowUps() async throws {
        let h = try CrisisHarness()
        // S3 never had a case.
        let leave = try await returnFromLeave(h, "S3")
        let caseID = try #require(leave.followUps.first?.caseID)
        #expect(!caseID.isEmpty && leave.followUps.allSatisfy { $0.caseID == caseID })
        let monitoring = try #require(try await h.openCases().first { $0.id == caseID })
        #expect(monitoring.origin == "monitoring")
        h.clock.advance(by: .seconds(8 * 86400))
        let recorded = try await h.call("RecordFollowUp", Xinyu_Crisis_V1_RecordFollowUpRequest.with {
            $0.caseID = caseID; $0.followUpID = leave.followUps[0].id; $0.summary = "复学后适应良好"
        }, as: Xinyu_Crisis_V1_FollowUp.self)
        #expect(recorded.code == .ok && !recorded.value.doneOn.isEmpty, "\(recorded.message)")

        // S1's case was closed before the leave: it is reopened.
        let opened = try await h.levelOneCase()
        let closure = try await h.call("RequestApproval", Xinyu_Crisis_V1_RequestApprovalRequest.with { $0.caseID = opened.id; $0.subject = .closure; $0.reason = "结案" },
                                       as: Xinyu_Crisis_V1_Approval.self)
        _ = try await h.call("DecideApproval", Xinyu_Crisis_V1_DecideApprovalRequest.with { $0.approvalID = closure.value.id; $0.approve = true },
                             as: Xinyu_Crisis_V1_Approval.self, principal: supervisor)
        let back = try await returnFromLeave(h, "S1")
        #expect(back.followUps.allSatisfy { $0.caseID == opened.id })
        let detail = try await h.call("GetCase", Xinyu_Crisis_V1_GetCaseRequest.with { $0.caseID = opened.id }, as: Xinyu_Crisis_V1_CaseDetail.self)
        #expect(detail.value.case.status == .open && detail.value.events.last?.kind == "reopened")
    }

    @Test("follow-ups an older version left without a case are given one at start-up")
    func repairOrphans() async throws {
        let h = try CrisisHarness()
        try h.database.writeSync { db in
            try db.execute(sql: "INSERT INTO crisis_follow_ups (case_id, student_id, school_id, class_id, due_on, origin) VALUES (NULL, 'S2', 'A', 'C1', '2024-10-01', 'return')")
        }
        try await h.dispatcher.runStartTasks()
        #expect(try h.count("crisis_follow_ups", "case_id IS NULL") == 0)
        let overdue = try await h.call("ListFollowUps", Xinyu_Crisis_V1_ListFollowUpsRequest(), as: Xinyu_Crisis_V1_ListFollowUpsResponse.self).value.overdue
        let orphan = try #require(overdue.first)
        let recorded = try await h.call("RecordFollowUp", Xinyu_Crisis_V1_RecordFollowUpRequest.with {
            $0.caseID = orphan.caseID; $0.followUpID = orphan.id; $0.summary = "补记随访"
        }, as: Xinyu_Crisis_V1_FollowUp.self)
        #expect(recorded.code == .ok, "\(recorded.message)")
        try await h.dispatcher.runStartTasks()
        #expect(try h.count("crisis_cases") == 1, "a second start finds nothing to repair")
    }

    func returnFromLeave(_ h: CrisisHarness, _ student: String) async throws -> Xinyu_Crisis_V1_Leave {
        _ = try await h.call("StartLeave", Xinyu_Crisis_V1_StartLeaveRequest.with { $0.studentID = student; $0.reason = "病休" }, as: Xinyu_Crisis_V1_Leave.self)
        _ = try await h.call("ApplyForReturn", Xinyu_Crisis_V1_ApplyForReturnRequest.with { $0.studentID = student }, as: Xinyu_Crisis_V1_Leave.self)
        _ = try await h.call("AssessReturn", Xinyu_Crisis_V1_AssessReturnRequest.with { $0.studentID = student; $0.fit = true; $0.summary = "评估通过" },
                             as: Xinyu_Crisis_V1_Leave.self)
        let confirmed = try await h.call("ConfirmReturn", Xinyu_Crisis_V1_ConfirmReturnRequest.with {
            $0.studentID = student
            $0.preventionPlan = [.with { $0.description_p = "每周谈话"; $0.responsibleID = "P001" }]
            $0.followUpIntervalDays = 7
            $0.followUpCount = 2
        }, as: Xinyu_Crisis_V1_Leave.self)
        precondition(confirmed.code == .ok, confirmed.message)
        return confirmed.value
    }

    func plan(_ caseID: String, goals: [String], teacherMeasure: String = "每日课间关注", interval: Int32 = 7) -> Xinyu_Crisis_V1_SavePlanRequest {
        Xinyu_Crisis_V1_SavePlanRequest.with {
            $0.caseID = caseID
            $0.goals = goals
            $0.measures = [.with { $0.description_p = teacherMeasure; $0.responsibleID = "T001" }, .with { $0.description_p = "每周个体辅导"; $0.responsibleID = "P001" }]
            $0.followUpStart = "2024-10-09"
            $0.followUpIntervalDays = interval
            $0.followUpCount = 4
        }
    }
}
