import Foundation
import NIOConcurrencyHelpers
import NIOCore
import SwiftProtobuf
import Testing
import XinyuCrisisAPI
import XinyuPluginSDK
import XinyuWire

/// A school principal (校长) of school A: case and level reads, plan approval, leave; no clinical rights.
let schoolPrincipal = Principal(id: "staff:H001", kind: .person, roles: ["principal"],
                                permissions: ["crisis.level.read", "crisis.case.read", "crisis.plan.approve", "crisis.leave.write", "crisis.stats.read"],
                                scopes: [DataScope(kind: "school", ids: ["A"])])

/// Role × method × field: which clinical fields each role sees (issue 12 §2).
@Suite("Clinical minimum: field-level visibility by role, method and field")
struct ClinicalVisibilityTests {
    /// The clinical texts the scenario writes, by field; each must reach clinical roles and no one else.
    enum Text {
        static let caseReason = "PHQ-A 第9题阳性，自述有自伤念头"
        static let goal = "降低自伤风险"
        static let followUp = "情绪低落，仍有自伤念头"
        static let referralReason = "需要精神科评估（绿色通道）"
        static let emergency = "当晚有自杀计划，无法及时联系监护人"
        static let outcome = "诊断为中度抑郁，门诊治疗"
        static let leaveReason = "住院治疗"
        static let assessment = "医院证明，评估通过"
        static let levelReason = "访谈评估：有计划无行动"
        static let approvalComment = "同意，请每周复评"
    }

    /// S1 (class C1, school A) with a level-1 case, a plan with measures for T001 and P001, a
    /// recorded follow-up, an emergency referral with an outcome, and a return from leave.
    static func scenario() async throws -> (CrisisHarness, String) {
        let h = try CrisisHarness()
        try await h.submit(phqA("S1", [1, 1, 1, 1, 1, 1, 1, 1, 2]))
        _ = try await h.call("SetWarningLevel", Xinyu_Crisis_V1_SetWarningLevelRequest.with {
            $0.studentID = "S1"; $0.level = 1; $0.reason = Text.levelReason; $0.evidence = "interview 2024-10-08"
        }, as: Xinyu_Crisis_V1_WarningLevel.self)
        let opened = try await h.call("OpenCase", Xinyu_Crisis_V1_OpenCaseRequest.with { $0.studentID = "S1"; $0.reason = Text.caseReason },
                                      as: Xinyu_Crisis_V1_Case.self).value
        let plan = try await h.call("SavePlan", Xinyu_Crisis_V1_SavePlanRequest.with {
            $0.caseID = opened.id
            $0.goals = [Text.goal]
            $0.measures = [.with { $0.description_p = "每日课间关注"; $0.responsibleID = "T001" },
                           .with { $0.description_p = "药物依从性随访"; $0.responsibleID = "P001" }]
            $0.followUpStart = "2024-10-08"; $0.followUpIntervalDays = 7; $0.followUpCount = 3
        }, as: Xinyu_Crisis_V1_Plan.self).value
        let approval = try await h.call("GetCase", Xinyu_Crisis_V1_GetCaseRequest.with { $0.caseID = opened.id }, as: Xinyu_Crisis_V1_CaseDetail.self).value.approvals[0]
        #expect(try await h.call("DecideApproval", Xinyu_Crisis_V1_DecideApprovalRequest.with {
            $0.approvalID = approval.id; $0.approve = true; $0.comment = Text.approvalComment
        }, as: Xinyu_Crisis_V1_Approval.self, principal: supervisor).code == .ok)
        #expect(try await h.call("RecordFollowUp", Xinyu_Crisis_V1_RecordFollowUpRequest.with {
            $0.caseID = opened.id; $0.followUpID = plan.followUps[0].id; $0.summary = Text.followUp
        }, as: Xinyu_Crisis_V1_FollowUp.self).code == .ok)
        let referral = try await h.call("RequestReferral", Xinyu_Crisis_V1_RequestReferralRequest.with {
            $0.caseID = opened.id; $0.agency = "kangning"; $0.reason = Text.referralReason; $0.urgent = true
            $0.legalBasis = .emergency; $0.emergencyReason = Text.emergency
        }, as: Xinyu_Crisis_V1_Referral.self).value
        #expect(try await h.call("RecordReferralOutcome", Xinyu_Crisis_V1_RecordReferralOutcomeRequest.with {
            $0.referralID = referral.id; $0.status = "in_treatment"; $0.outcome = Text.outcome
        }, as: Xinyu_Crisis_V1_Referral.self).code == .ok)
        _ = try await h.call("StartLeave", Xinyu_Crisis_V1_StartLeaveRequest.with { $0.studentID = "S1"; $0.startedOn = "2024-09-01"; $0.reason = Text.leaveReason },
                             as: Xinyu_Crisis_V1_Leave.self)
        _ = try await h.call("ApplyForReturn", Xinyu_Crisis_V1_ApplyForReturnRequest.with { $0.studentID = "S1"; $0.appliedOn = "2024-10-01" }, as: Xinyu_Crisis_V1_Leave.self)
        _ = try await h.call("AssessReturn", Xinyu_Crisis_V1_AssessReturnRequest.with { $0.studentID = "S1"; $0.fit = true; $0.summary = Text.assessment },
                             as: Xinyu_Crisis_V1_Leave.self)
        let back = try await h.call("ConfirmReturn", Xinyu_Crisis_V1_ConfirmReturnRequest.with {
            $0.studentID = "S1"; $0.returnedOn = "2024-10-08"
            $0.preventionPlan = [.with { $0.description_p = "同伴陪伴"; $0.responsibleID = "T001" }, .with { $0.description_p = "每周心理辅导"; $0.responsibleID = "P001" }]
            $0.followUpIntervalDays = 7; $0.followUpCount = 2
        }, as: Xinyu_Crisis_V1_Leave.self)
        #expect(back.code == .ok, "\(back.message)")
        return (h, opened.id)
    }

    /// One cell row of the matrix: a method and a clinical field, read for a caller.
    struct Probe: Sendable {
        let method: String
        let field: String
        /// The clinical text expected in the field for clinical roles.
        let text: String
        let read: @Sendable (CrisisHarness, String, Principal) async throws -> String
    }

    static let probes: [Probe] = [
        Probe(method: "GetCase", field: "case.reason", text: Text.caseReason) { h, id, p in try await caseDetail(h, id, p).case.reason },
        Probe(method: "GetCase", field: "events[].reason", text: Text.caseReason) { h, id, p in try await caseDetail(h, id, p).events.map(\.reason).joined() },
        Probe(method: "GetCase", field: "approvals[].comment", text: Text.approvalComment) { h, id, p in try await caseDetail(h, id, p).approvals.map(\.comment).joined() },
        Probe(method: "GetCase", field: "referrals[].reason", text: Text.referralReason) { h, id, p in try await caseDetail(h, id, p).referrals.map(\.reason).joined() },
        Probe(method: "GetCase", field: "referrals[].outcome", text: Text.outcome) { h, id, p in try await caseDetail(h, id, p).referrals.map(\.outcome).joined() },
        Probe(method: "GetCase", field: "referrals[].emergency_reason", text: Text.emergency) { h, id, p in
            try await caseDetail(h, id, p).referrals.map(\.emergencyReason).joined()
        },
        Probe(method: "ListCases", field: "cases[].reason", text: Text.caseReason) { h, _, p in
            try await h.call("ListCases", Xinyu_Crisis_V1_ListCasesRequest(), as: Xinyu_Crisis_V1_ListCasesResponse.self, principal: p).value.cases.map(\.reason).joined()
        },
        Probe(method: "GetPlan", field: "goals", text: Text.goal) { h, id, p in try await plan(h, id, p).goals.joined() },
        Probe(method: "GetPlan", field: "measures (of others)", text: "药物依从性随访") { h, id, p in try await plan(h, id, p).measures.map(\.description_p).filter { $0 != "每日课间关注" }.joined() },
        Probe(method: "GetPlan", field: "follow_ups[].summary", text: Text.followUp) { h, id, p in try await plan(h, id, p).followUps.map(\.summary).joined() },
        Probe(method: "GetLeave", field: "reason", text: Text.leaveReason) { h, _, p in try await leave(h, p).reason },
        Probe(method: "GetLeave", field: "assessment_summary", text: Text.assessment) { h, _, p in try await leave(h, p).assessmentSummary },
        Probe(method: "GetLeave", field: "prevention_plan (of others)", text: "每周心理辅导") { h, _, p in
            try await leave(h, p).preventionPlan.map(\.description_p).filter { $0 != "同伴陪伴" }.joined()
        },
        Probe(method: "GetWarningLevel", field: "explanation", text: Text.levelReason) { h, _, p in
            try await h.call("GetWarningLevel", Xinyu_Crisis_V1_GetWarningLevelRequest.with { $0.studentID = "S1" }, as: Xinyu_Crisis_V1_WarningLevel.self, principal: p).value.explanation
        },
        Probe(method: "ListWarnings", field: "warnings[].explanation", text: Text.levelReason) { h, _, p in
            try await h.call("ListWarnings", Xinyu_Crisis_V1_ListWarningsRequest(), as: Xinyu_Crisis_V1_ListWarningsResponse.self, principal: p).value.warnings.map(\.explanation).joined()
        },
        Probe(method: "ListLevelHistory", field: "changes[].reason", text: Text.levelReason) { h, _, p in
            try await h.call("ListLevelHistory", Xinyu_Crisis_V1_ListLevelHistoryRequest.with { $0.studentID = "S1" }, as: Xinyu_Crisis_V1_ListLevelHistoryResponse.self,
                             principal: p).value.changes.map { $0.reason + $0.explanation + $0.evidence }.joined()
        },
        Probe(method: "GetArchive", field: "current_level.explanation", text: Text.levelReason) { h, _, p in try await archive(h, p).currentLevel.explanation },
        Probe(method: "GetArchive", field: "entries[level].summary reason", text: Text.levelReason) { h, _, p in
            try await archive(h, p).entries.filter { $0.kind == "level" }.map(\.summary).joined()
        },
        Probe(method: "GetArchive", field: "entries[follow_up].summary", text: Text.followUp) { h, _, p in
            try await archive(h, p).entries.filter { $0.kind == "follow_up" }.map(\.summary).joined()
        },
        Probe(method: "GetArchive", field: "entries[case].summary reason", text: Text.caseReason) { h, _, p in
            try await archive(h, p).entries.filter { $0.kind == "case" }.map(\.summary).joined()
        },
        Probe(method: "GetArchive", field: "entries[screening].summary band", text: "phq-a ") { h, _, p in
            try await archive(h, p).entries.filter { $0.kind == "screening" }.map(\.summary).joined()
        },
    ]

    /// The roles of the matrix and whether each sees clinical content.
    static let roles: [(name: String, principal: Principal, clinical: Bool)] = [
        ("psych_teacher", psych, true), ("growth_centre", supervisor, true),
        ("class_teacher", classTeacher, false), ("principal", schoolPrincipal, false),
    ]

    @Test("clinical fields reach psych staff and the growth centre only", arguments: roles.map(\.name))
    func matrix(role: String) async throws {
        let (h, caseID) = try await Self.scenario()
        let (_, principal, clinical) = Self.roles.first { $0.name == role }!
        for probe in Self.probes {
            let seen = try await probe.read(h, caseID, principal)
            if clinical {
                #expect(seen.contains(probe.text), "\(role) × \(probe.method) × \(probe.field): \(seen)")
            } else {
                #expect(!seen.contains(probe.text), "\(role) × \(probe.method) × \(probe.field) leaked: \(seen)")
                if probe.method != "GetArchive" { #expect(seen.isEmpty, "\(role) × \(probe.method) × \(probe.field): \(seen)") }
            }
        }
    }

    @Test("the clinical minimum stays: level, that a plan exists, own measures, due dates", arguments: ["class_teacher", "principal"])
    func minimum(role: String) async throws {
        let (h, caseID) = try await Self.scenario()
        let principal = Self.roles.first { $0.name == role }!.principal
        let detail = try await Self.caseDetail(h, caseID, principal)
        #expect(detail.case.level == 1 && detail.hasPlan_p && detail.case.assignDueAtMs > 0)
        let plan = try await Self.plan(h, caseID, principal)
        #expect(plan.restrictedView && plan.status == .approved)
        #expect(plan.measures.map(\.description_p) == (role == "class_teacher" ? ["每日课间关注"] : []))
        #expect(Set(plan.followUps.map(\.dueOn)) == ["2024-10-08", "2024-10-15", "2024-10-22"] && plan.followUps[0].doneOn == "2024-10-08")
        let level = try await h.call("GetWarningLevel", Xinyu_Crisis_V1_GetWarningLevelRequest.with { $0.studentID = "S1" }, as: Xinyu_Crisis_V1_WarningLevel.self, principal: principal).value
        #expect(level.level == 1 && level.reviewDue == "2024-10-15")
        let leave = try await Self.leave(h, principal)
        #expect(leave.status == .returned && leave.followUps.map(\.dueOn) == ["2024-10-15", "2024-10-22"])
        #expect(leave.preventionPlan.map(\.description_p) == (role == "class_teacher" ? ["同伴陪伴"] : []))
        let archive = try await Self.archive(h, principal)
        #expect(archive.currentLevel.level == 1)
        #expect(archive.entries.contains { $0.kind == "level" && $0.summary == "level 1 → 1" }, "\(archive.entries.map(\.summary))")
        #expect(archive.entries.contains { $0.kind == "screening" && $0.summary == "screening phq-a" })
    }

    @Test("a replayed idempotent answer is redacted for a caller without clinical rights too")
    func replayRedacted() async throws {
        let (h, caseID) = try await Self.scenario()
        let closure = try await h.call("RequestApproval", Xinyu_Crisis_V1_RequestApprovalRequest.with {
            $0.caseID = caseID; $0.subject = .closure; $0.reason = "好转，" + Text.caseReason
        }, as: Xinyu_Crisis_V1_Approval.self).value
        let decide = Xinyu_Crisis_V1_DecideApprovalRequest.with { $0.approvalID = closure.id; $0.approve = false; $0.comment = Text.approvalComment }
        for attempt in 1...2 {
            let sent = NIOLockedValueBox<[ByteBuffer]>([])
            var start = Xinyu_Wire_V1_CallStart()
            start.method = "xinyu.crisis.v1.Crisis/DecideApproval"
            start.idempotencyKey = "decide-closure-1"
            let status = await h.dispatcher.dispatch(method: start.method, request: try ProtobufCoding.encode(decide), start: start,
                                                     principal: schoolPrincipal, deadline: nil) { b in sent.withLockedValue { $0.append(b) } }
            #expect(status.code == .ok, "\(status.message)")
            #expect(status.trailers.contains { $0.key == "xinyu-idempotent-replay" } == (attempt == 2))
            let reply = try Xinyu_Crisis_V1_Approval(serializedBytes: Array(sent.withLockedValue { $0 }[0].readableBytesView))
            #expect(reply.status == .rejected && reply.comment.isEmpty && reply.reason.isEmpty, "attempt \(attempt): \(reply)")
        }
        let full = try await Self.caseDetail(h, caseID, psych)
        #expect(full.approvals.last?.comment == Text.approvalComment)
    }

    // MARK: Reads

    static func caseDetail(_ h: CrisisHarness, _ id: String, _ p: Principal) async throws -> Xinyu_Crisis_V1_CaseDetail {
        let r = try await h.call("GetCase", Xinyu_Crisis_V1_GetCaseRequest.with { $0.caseID = id }, as: Xinyu_Crisis_V1_CaseDetail.self, principal: p)
        #expect(r.code == .ok, "\(r.message)")
        return r.value
    }

    static func plan(_ h: CrisisHarness, _ id: String, _ p: Principal) async throws -> Xinyu_Crisis_V1_Plan {
        let r = try await h.call("GetPlan", Xinyu_Crisis_V1_GetPlanRequest.with { $0.caseID = id }, as: Xinyu_Crisis_V1_Plan.self, principal: p)
        #expect(r.code == .ok, "\(r.message)")
        return r.value
    }

    static func leave(_ h: CrisisHarness, _ p: Principal) async throws -> Xinyu_Crisis_V1_Leave {
        let r = try await h.call("GetLeave", Xinyu_Crisis_V1_GetLeaveRequest.with { $0.studentID = "S1" }, as: Xinyu_Crisis_V1_Leave.self, principal: p)
        #expect(r.code == .ok, "\(r.message)")
        return r.value
    }

    static func archive(_ h: CrisisHarness, _ p: Principal) async throws -> Xinyu_Crisis_V1_GetArchiveResponse {
        let r = try await h.call("GetArchive", Xinyu_Crisis_V1_GetArchiveRequest.with { $0.studentID = "S1" }, as: Xinyu_Crisis_V1_GetArchiveResponse.self, principal: p)
        #expect(r.code == .ok, "\(r.message)")
        return r.value
    }
}
