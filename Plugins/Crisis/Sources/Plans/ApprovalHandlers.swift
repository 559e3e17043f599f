import GRDB
import XinyuCrisisAPI
import XinyuEventsAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// RequestApproval (closure, removal) and DecideApproval (a supervisor approves or rejects).
struct ApprovalHandlers: Sendable {
    let configuration: CrisisConfiguration

    func register(_ s: inout ServiceBuilder) {
        s.unary("RequestApproval", permission: CrisisPermissions.caseWrite, mutates: true, handler: request)
        s.unary("DecideApproval", permission: CrisisPermissions.planApprove, mutates: true, handler: decide)
    }

    @Sendable func request(_ request: Xinyu_Crisis_V1_RequestApprovalRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_Approval {
        let subject: ApprovalSubject
        switch request.subject {
        case .plan: throw RPCError.invalidField("subject", "a plan asks for approval when it is saved (SavePlan)")
        case .closure, .removal: subject = request.subject
        default: throw RPCError.invalidField("subject", "is required (CLOSURE or REMOVAL)")
        }
        let reason = try Require.text("reason", request.reason)
        return try await context.store.write { db in
            let row = try CaseStore.open(db, id: request.caseID, context: context)
            let id = try ApprovalStore.request(db, caseID: row["id"], subject: subject, reason: reason, context: context)
            return try ApprovalRecord.fetchOne(db, sql: "SELECT * FROM crisis_approvals WHERE id = ?", arguments: [id])!.message
        }
    }

    /// Applies the decision: an approved plan becomes the plan in force; an approved closure
    /// closes the case (`crisis.case.closed`); an approved removal sets the level to 0 with the
    /// request's reason (`crisis.level.changed`). A rejection needs a comment, and nobody
    /// decides their own request.
    @Sendable func decide(_ request: Xinyu_Crisis_V1_DecideApprovalRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_Approval {
        let id = try Require.id("approval_id", request.approvalID, what: "approval")
        if !request.approve { _ = try Require.text("comment", request.comment) }
        let timings = configuration.timings
        return try await context.store.write { db in
            guard let approval = try ApprovalRecord.fetchOne(db, sql: "SELECT * FROM crisis_approvals WHERE id = ?", arguments: [id]) else {
                throw RPCError(.notFound, "approval \(request.approvalID) not found")
            }
            let caseID = approval.caseID
            let caseRow = try CaseStore.open(db, id: String(caseID), context: context)
            guard ApprovalStatus(storedText: approval.status) == .pending else {
                throw RPCError(.failedPrecondition, "approval \(request.approvalID) was already decided")
            }
            // Four eyes: supervision means someone other than the requester decides.
            guard approval.requestedBy != context.principal.id else {
                throw RPCError(.permissionDenied, "approval \(request.approvalID) was requested by \(context.principal.id); another supervisor must decide it")
            }
            let now = context.nowMs
            let status: ApprovalStatus = request.approve ? .approved : .rejected
            try db.execute(sql: "UPDATE crisis_approvals SET status = ?, decided_by = ?, decided_at_ms = ?, comment = ? WHERE id = ?",
                           arguments: [status.requiredStoredText, context.principal.id, now, request.comment, id])
            let reason = approval.reason
            switch (ApprovalSubject(storedText: approval.subject), request.approve) {
            case (.plan, _):
                let planStatus: PlanStatus = request.approve ? .approved : .rejected
                try db.execute(sql: "UPDATE crisis_plans SET status = ?, approved_by = ? WHERE case_id = ?",
                               arguments: [planStatus.requiredStoredText, request.approve ? context.principal.id : "", caseID])
            case (.closure, true):
                try Self.close(db, caseRow: caseRow, reason: reason, context: context)
            case (.removal, true):
                let student = StudentFacts(id: caseRow["student_id"], schoolID: caseRow["school_id"], classID: caseRow["class_id"])
                let from = Int(try LevelStore.current(db, studentID: student.id)?.level ?? 0)
                let comment = request.comment.isEmpty ? "" : " (\(request.comment))"
                try LevelStore.change(
                    db, student: student, from: from, to: 0,
                    explanation: "removed from the warning database (解除预警), approved by \(context.principal.id): \(reason)\(comment)",
                    reason: reason, evidence: "approval:\(id)", source: .removal, context: context, timings: timings)
            default:
                break
            }
            return try ApprovalRecord.fetchOne(db, sql: "SELECT * FROM crisis_approvals WHERE id = ?", arguments: [id])!.message
        }
    }

    /// Closes the case: its assignment deadline no longer applies, so its timer goes too, in the
    /// same transaction (a closed case never fires an escalation).
    static func close(_ db: Database, caseRow: Row, reason: String, context: CallContext) throws {
        let caseID: Int64 = caseRow["id"]
        let tier: Int = caseRow["tier"]
        let now = context.nowMs
        try db.execute(sql: "UPDATE crisis_cases SET status = ?, closed_at_ms = ? WHERE id = ?",
                       arguments: [CaseStatus.closed.requiredStoredText, now, caseID])
        try EscalationTimers.caseClosed(db, caseID: caseID, context: context)
        try CaseStore.addEvent(db, caseID: caseID, kind: "closed", from: tier, to: tier, reason: reason, actor: context.principal.id, atMs: now)
        var event = Xinyu_Events_V1_CaseClosed()
        event.caseID = String(caseID)
        event.studentID = caseRow["student_id"]
        event.schoolID = caseRow["school_id"]
        event.reason = reason
        event.approvedBy = context.principal.id
        event.closedAtMs = now
        try context.publish(CrisisTopics.caseClosed, event, in: db)
    }
}
