import Foundation
import Testing
import XinyuCrisisAPI
import XinyuPluginSDK
import XinyuWire

@Suite("Cases, plans, notes and escalation")
struct CaseTests {
    @Test("an unassigned level-1 case escalates after its deadline, with time and reason, and publishes")
    func assignmentDeadline() async throws {
        let h = try CrisisHarness()
        let opened = try await h.levelOneCase()
        #expect(opened.tier == .school, "level 1 starts at the school tier")
        #expect(opened.assignDueAtMs == Int64(CrisisHarness.start.timeIntervalSince1970 * 1000) + 60 * 60_000)

        h.clock.advance(by: .seconds(59 * 60))
        try await h.dispatcher.fireDueTimers()
        var detail = try await h.call("GetCase", Xinyu_Crisis_V1_GetCaseRequest.with { $0.caseID = opened.id }, as: Xinyu_Crisis_V1_CaseDetail.self)
        #expect(detail.value.case.tier == .school, "not yet due")

        h.clock.advance(by: .seconds(2 * 60))
        try await h.dispatcher.fireDueTimers()
        detail = try await h.call("GetCase", Xinyu_Crisis_V1_GetCaseRequest.with { $0.caseID = opened.id }, as: Xinyu_Crisis_V1_CaseDetail.self)
        #expect(detail.value.case.tier == .city)
        let escalation = try #require(detail.value.events.last)
        #expect(escalation.kind == "auto_escalated" && escalation.actor == "plugin:crisis")
        #expect(escalation.reason.contains("60 minutes"), "\(escalation.reason)")
        #expect(escalation.atMs == Int64(h.clock.now().timeIntervalSince1970 * 1000))
        #expect(try h.topics().filter { $0 == "crisis.case.escalated" }.count == 1)

        h.clock.advance(by: .seconds(3601))
        let overdue = try await h.call("ListCases", Xinyu_Crisis_V1_ListCasesRequest.with { $0.assignmentOverdueOnly = true }, as: Xinyu_Crisis_V1_ListCasesResponse.self)
        #expect(overdue.value.cases.map(\.id) == [opened.id])
        #expect(overdue.value.cases.first?.assignmentOverdue == true)
        try await h.dispatcher.fireDueTimers()
        #expect(try h.topics().filter { $0 == "crisis.case.escalated" }.count == 1, "the city tier is the top")

        let assigned = try await h.call("AssignCase", Xinyu_Crisis_V1_AssignCaseRequest.with { $0.caseID = opened.id; $0.ownerID = "P001" }, as: Xinyu_Crisis_V1_Case.self)
        #expect(assigned.value.ownerID == "P001" && !assigned.value.assignmentOverdue)
    }

    @Test("plan, approval, follow-ups, closure and removal")
    func planLifecycle() async throws {
        let h = try CrisisHarness()
        let opened = try await h.levelOneCase()
        var plan = Xinyu_Crisis_V1_SavePlanRequest()
        plan.caseID = opened.id
        plan.goals = ["两周内情绪稳定"]
        plan.measures = [.with { $0.description_p = "每日课间关注"; $0.responsibleID = "T001" }, .with { $0.description_p = "每周个体辅导"; $0.responsibleID = "P001" }]
        plan.followUpStart = "2024-10-09"
        plan.followUpIntervalDays = 7
        plan.followUpCount = 4
        let saved = try await h.call("SavePlan", plan, as: Xinyu_Crisis_V1_Plan.self)
        #expect(saved.code == .ok, "\(saved.message)")
        #expect(saved.value.status == .pendingApproval && saved.value.followUps.map(\.dueOn) == ["2024-10-09", "2024-10-16", "2024-10-23", "2024-10-30"])

        let detail = try await h.call("GetCase", Xinyu_Crisis_V1_GetCaseRequest.with { $0.caseID = opened.id }, as: Xinyu_Crisis_V1_CaseDetail.self)
        let approval = try #require(detail.value.approvals.first { $0.subject == .plan })
        let reject = try await h.call("DecideApproval", Xinyu_Crisis_V1_DecideApprovalRequest.with { $0.approvalID = approval.id }, as: Xinyu_Crisis_V1_Approval.self, principal: supervisor)
        #expect(reject.code == .invalidArgument && reject.message.contains("comment"))
        // Nobody approves their own request.
        let own = try await h.call("DecideApproval", Xinyu_Crisis_V1_DecideApprovalRequest.with { $0.approvalID = approval.id; $0.approve = true; $0.comment = "同意" }, as: Xinyu_Crisis_V1_Approval.self)
        #expect(own.code == .permissionDenied && own.message.contains("another supervisor"))
        let approved = try await h.call("DecideApproval", Xinyu_Crisis_V1_DecideApprovalRequest.with { $0.approvalID = approval.id; $0.approve = true; $0.comment = "同意" }, as: Xinyu_Crisis_V1_Approval.self, principal: supervisor)
        #expect(approved.value.status == .approved)

        h.clock.advance(by: .seconds(86400 * 2))   // 2024-10-10: the first follow-up is overdue
        let lists = try await h.call("ListFollowUps", Xinyu_Crisis_V1_ListFollowUpsRequest(), as: Xinyu_Crisis_V1_ListFollowUpsResponse.self)
        #expect(lists.value.overdue.map(\.dueOn) == ["2024-10-09"] && lists.value.upcoming.map(\.dueOn) == ["2024-10-16"])
        let done = try await h.call("RecordFollowUp", Xinyu_Crisis_V1_RecordFollowUpRequest.with {
            $0.caseID = opened.id; $0.followUpID = lists.value.overdue.first?.id ?? ""; $0.summary = "情绪平稳"
        }, as: Xinyu_Crisis_V1_FollowUp.self)
        #expect(done.code == .ok && done.value.doneOn == "2024-10-10")
        let stats = try await h.call("GetStatistics", Xinyu_Crisis_V1_GetStatisticsRequest(), as: Xinyu_Crisis_V1_Statistics.self)
        #expect(stats.value.total.level1 == 1 && stats.value.total.planCoverage == 1 && stats.value.total.overdueFollowUps == 0)

        let removal = try await h.call("RequestApproval", Xinyu_Crisis_V1_RequestApprovalRequest.with { $0.caseID = opened.id; $0.subject = .removal; $0.reason = "复评正常" }, as: Xinyu_Crisis_V1_Approval.self)
        _ = try await h.call("DecideApproval", Xinyu_Crisis_V1_DecideApprovalRequest.with { $0.approvalID = removal.value.id; $0.approve = true }, as: Xinyu_Crisis_V1_Approval.self, principal: supervisor)
        let closure = try await h.call("RequestApproval", Xinyu_Crisis_V1_RequestApprovalRequest.with { $0.caseID = opened.id; $0.subject = .closure; $0.reason = "结案" }, as: Xinyu_Crisis_V1_Approval.self)
        _ = try await h.call("DecideApproval", Xinyu_Crisis_V1_DecideApprovalRequest.with { $0.approvalID = closure.value.id; $0.approve = true }, as: Xinyu_Crisis_V1_Approval.self, principal: supervisor)
        let level = try await h.call("GetWarningLevel", Xinyu_Crisis_V1_GetWarningLevelRequest.with { $0.studentID = "S1" }, as: Xinyu_Crisis_V1_WarningLevel.self)
        #expect(level.value.level == 0 && level.value.source == .removal)
        #expect(try h.topics() == ["crisis.level.changed", "crisis.case.opened", "crisis.level.changed", "crisis.case.closed"])
        let archive = try await h.call("GetArchive", Xinyu_Crisis_V1_GetArchiveRequest.with { $0.studentID = "S1" }, as: Xinyu_Crisis_V1_GetArchiveResponse.self)
        #expect(Set(archive.value.entries.map(\.kind)).isSuperset(of: ["screening", "level", "case", "plan", "follow_up"]))
    }

    @Test("a class teacher cannot read notes and sees only their own measures of a plan")
    func restrictedNotes() async throws {
        let h = try CrisisHarness()
        let opened = try await h.levelOneCase()
        let note = try await h.call("AddNote", Xinyu_Crisis_V1_AddNoteRequest.with { $0.caseID = opened.id; $0.text = "自述有自伤念头，已签安全承诺" }, as: Xinyu_Crisis_V1_Note.self)
        #expect(note.code == .ok)
        var plan = Xinyu_Crisis_V1_SavePlanRequest()
        plan.caseID = opened.id
        plan.goals = ["降低自伤风险"]
        plan.measures = [.with { $0.description_p = "每日课间关注"; $0.responsibleID = "T001" }, .with { $0.description_p = "药物依从性随访"; $0.responsibleID = "P001" }]
        plan.followUpStart = "2024-10-09"
        plan.followUpIntervalDays = 7
        plan.followUpCount = 2
        #expect(try await h.call("SavePlan", plan, as: Xinyu_Crisis_V1_Plan.self).code == .ok)

        let notes = try await h.call("ListNotes", Xinyu_Crisis_V1_ListNotesRequest.with { $0.caseID = opened.id }, as: Xinyu_Crisis_V1_ListNotesResponse.self, principal: classTeacher)
        #expect(notes.code == .permissionDenied && notes.message.contains("crisis.notes.read"))
        let seen = try await h.call("GetPlan", Xinyu_Crisis_V1_GetPlanRequest.with { $0.caseID = opened.id }, as: Xinyu_Crisis_V1_Plan.self, principal: classTeacher)
        #expect(seen.code == .ok && seen.value.restrictedView)
        #expect(seen.value.goals.isEmpty && seen.value.measures.map(\.description_p) == ["每日课间关注"])
        let full = try await h.call("GetPlan", Xinyu_Crisis_V1_GetPlanRequest.with { $0.caseID = opened.id }, as: Xinyu_Crisis_V1_Plan.self)
        #expect(full.value.goals == ["降低自伤风险"] && full.value.measures.count == 2)
        let psychNotes = try await h.call("ListNotes", Xinyu_Crisis_V1_ListNotesRequest.with { $0.caseID = opened.id }, as: Xinyu_Crisis_V1_ListNotesResponse.self)
        #expect(psychNotes.value.notes.map(\.text) == ["自述有自伤念头，已签安全承诺"])

        // Another class's teacher cannot even learn the case exists.
        let other = Principal(id: "staff:T002", kind: .person, permissions: ["crisis.case.read"], scopes: [DataScope(kind: "class", ids: ["C2"])])
        let hidden = try await h.call("GetCase", Xinyu_Crisis_V1_GetCaseRequest.with { $0.caseID = opened.id }, as: Xinyu_Crisis_V1_CaseDetail.self, principal: other)
        #expect(hidden.code == .notFound && hidden.message == "case \(opened.id) not found")
        let missing = try await h.call("GetCase", Xinyu_Crisis_V1_GetCaseRequest.with { $0.caseID = "999" }, as: Xinyu_Crisis_V1_CaseDetail.self, principal: other)
        #expect(missing.message == "case 999 not found")
    }

    @Test("an unacknowledged concern escalates after the configured time")
    func concernEscalates() async throws {
        let h = try CrisisHarness()
        let raised = try await h.call("RaiseConcern", Xinyu_Crisis_V1_RaiseConcernRequest.with { $0.studentID = "S1"; $0.description_p = "连续三天独自哭泣" },
                                      as: Xinyu_Crisis_V1_Concern.self, principal: classTeacher)
        #expect(raised.code == .ok && raised.value.status == .open)
        h.clock.advance(by: .seconds(119 * 60))
        try await h.dispatcher.fireDueTimers()
        #expect(try h.topics().contains("crisis.concern.escalated") == false, "escalated before its time")
        h.clock.advance(by: .seconds(2 * 60))
        try await h.dispatcher.fireDueTimers()
        #expect(try h.topics().filter { $0 == "crisis.concern.escalated" }.count == 1)
        try await h.dispatcher.fireDueTimers()
        #expect(try h.topics().filter { $0 == "crisis.concern.escalated" }.count == 1, "escalated twice")
        let list = try await h.call("ListConcerns", Xinyu_Crisis_V1_ListConcernsRequest.with { $0.unacknowledgedOnly = true }, as: Xinyu_Crisis_V1_ListConcernsResponse.self)
        #expect(list.value.concerns.first?.status == .escalated)
        let ack = try await h.call("AcknowledgeConcern", Xinyu_Crisis_V1_AcknowledgeConcernRequest.with { $0.concernID = raised.value.id; $0.note = "已约谈" }, as: Xinyu_Crisis_V1_Concern.self)
        #expect(ack.value.status == .acknowledged && ack.value.acknowledgedBy == "staff:P001")
    }

    @Test("staff change a level only with a reason; level 0 needs an approved removal")
    func staffLevelChanges() async throws {
        let h = try CrisisHarness()
        let noReason = try await h.call("SetWarningLevel", Xinyu_Crisis_V1_SetWarningLevelRequest.with { $0.studentID = "S2"; $0.level = 2 }, as: Xinyu_Crisis_V1_WarningLevel.self)
        #expect(noReason.code == .invalidArgument && noReason.message.contains("reason"))
        let raised = try await h.call("SetWarningLevel", Xinyu_Crisis_V1_SetWarningLevelRequest.with { $0.studentID = "S2"; $0.level = 2; $0.reason = "访谈评估"; $0.evidence = "interview 2024-10-08" }, as: Xinyu_Crisis_V1_WarningLevel.self)
        #expect(raised.value.level == 2 && raised.value.reviewDue == "2024-10-22")
        let zero = try await h.call("SetWarningLevel", Xinyu_Crisis_V1_SetWarningLevelRequest.with { $0.studentID = "S2"; $0.level = 0; $0.reason = "好转" }, as: Xinyu_Crisis_V1_WarningLevel.self)
        #expect(zero.code == .failedPrecondition)
        h.clock.advance(by: .seconds(86400 * 15))
        let reviews = try await h.call("ListReviews", Xinyu_Crisis_V1_ListReviewsRequest(), as: Xinyu_Crisis_V1_ListReviewsResponse.self)
        #expect(reviews.value.overdue.map(\.studentID) == ["S2"])
        let history = try await h.call("ListLevelHistory", Xinyu_Crisis_V1_ListLevelHistoryRequest.with { $0.studentID = "S2" }, as: Xinyu_Crisis_V1_ListLevelHistoryResponse.self)
        #expect(history.value.changes.map(\.evidence) == ["interview 2024-10-08"] && history.value.changes[0].changedBy == "staff:P001")
    }

    @Test("leave and return: application, assessment, prevention plan, follow-ups, event")
    func leaveAndReturn() async throws {
        let h = try CrisisHarness()
        _ = try await h.call("StartLeave", Xinyu_Crisis_V1_StartLeaveRequest.with { $0.studentID = "S3"; $0.startedOn = "2024-09-01"; $0.reason = "住院治疗" }, as: Xinyu_Crisis_V1_Leave.self)
        let early = try await h.call("ConfirmReturn", Xinyu_Crisis_V1_ConfirmReturnRequest.with {
            $0.studentID = "S3"; $0.preventionPlan = [.with { $0.description_p = "同伴陪伴"; $0.responsibleID = "T002" }]; $0.followUpIntervalDays = 7; $0.followUpCount = 3
        }, as: Xinyu_Crisis_V1_Leave.self)
        #expect(early.code == .failedPrecondition, "no return without an assessment")
        _ = try await h.call("ApplyForReturn", Xinyu_Crisis_V1_ApplyForReturnRequest.with { $0.studentID = "S3"; $0.appliedOn = "2024-10-01" }, as: Xinyu_Crisis_V1_Leave.self)
        _ = try await h.call("AssessReturn", Xinyu_Crisis_V1_AssessReturnRequest.with { $0.studentID = "S3"; $0.fit = true; $0.summary = "医院证明，评估通过" }, as: Xinyu_Crisis_V1_Leave.self)
        let back = try await h.call("ConfirmReturn", Xinyu_Crisis_V1_ConfirmReturnRequest.with {
            $0.studentID = "S3"; $0.returnedOn = "2024-10-08"; $0.preventionPlan = [.with { $0.description_p = "同伴陪伴"; $0.responsibleID = "T002" }]
            $0.followUpIntervalDays = 7; $0.followUpCount = 3
        }, as: Xinyu_Crisis_V1_Leave.self)
        #expect(back.code == .ok, "\(back.message)")
        #expect(back.value.status == .returned && back.value.followUps.map(\.dueOn) == ["2024-10-15", "2024-10-22", "2024-10-29"])
        // S3 never had a case: the follow-ups get a monitoring case (issue 12 §3).
        #expect(try h.topics() == ["crisis.case.opened", "crisis.student.returned"])
    }
}
