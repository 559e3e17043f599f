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

    /// Asks for closure or removal. A REMOVAL may name `student_id` instead of `case_id`: a
    /// student raised by screening who never had a case can leave the warning database too.
    @Sendable func request(_ request: Xinyu_Crisis_V1_RequestApprovalRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_Approval {
        let subject: ApprovalSubject
        switch request.subject {
        case .plan: throw RPCError.invalidField("subject", "a plan asks for approval when it is saved (SavePlan)")
        case .closure, .removal: subject = request.subject
        default: throw RPCError.invalidField("subject", "is required (CLOSURE or REMOVAL)")
        }
        let reason = try Require.text("reason", request.reason)
        if request.caseID.isEmpty {
            guard subject == .removal else { throw RPCError.invalidField("case_id", "is required (only a REMOVAL may name student_id instead)") }
            guard !request.studentID.isEmpty else { throw RPCError.invalidField("case_id", "is required (or student_id for a REMOVAL)") }
        }
        return try await context.store.write { db in
            let id: Int64
            if !request.caseID.isEmpty {
                let row = try CaseStore.open(db, id: request.caseID, context: context)
                let student = StudentFacts(id: row["student_id"], schoolID: row["school_id"], classID: row["class_id"])
                id = try ApprovalStore.request(db, caseID: row["id"], student: student, subject: subject, reason: reason, context: context)
            } else {
                let student = try StudentFacts.visible(db, id: request.studentID, context: context)
                guard Int(try LevelStore.current(db, studentID: student.id)?.level ?? 0) > 0 else {
                    throw RPCError(.failedPrecondition, "student \(student.id) is not in the warning database")
                }
                // A student who does have an open case gets the approval on it.
                let caseID = try CaseStore.openCase(db, studentID: student.id)?.id
                id = try ApprovalStore.request(db, caseID: caseID, student: student, subject: .removal, reason: reason, context: context)
            }
            return try ApprovalStore.fetch(db, id: id)!.message
        }
    }

    /// Applies the decision: an approved plan becomes the plan in force (and its revision is
    /// marked with who decided); an approved closure closes the case (`crisis.case.closed`); an
    /// approved removal sets the level to 0 with the request's reason (`crisis.level.changed`),
    /// with or without a case. A rejection needs a comment, and nobody decides their own request.
    @Sendable func decide(_ request: Xinyu_Crisis_V1_DecideApprovalRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_Approval {
        let id = try Require.id("approval_id", request.approvalID, what: "approval")
        if !request.approve { _ = try Require.text("comment", request.comment) }
        let configuration = self.configuration
        return try await context.store.write { db in
            guard let approval = try ApprovalStore.fetch(db, id: id) else {
                throw RPCError(.notFound, "approval \(request.approvalID) not found")
            }
            let caseRow: Row?
            let student: StudentFacts
            if let caseID = approval.caseID {
                let row = try CaseStore.open(db, id: String(caseID), context: context)
                caseRow = row
                student = StudentFacts(id: row["student_id"], schoolID: row["school_id"], classID: row["class_id"])
            } else {
                caseRow = nil
                student = try StudentFacts.visible(db, id: approval.studentID, context: context)
            }
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
                guard let caseID = approval.caseID else { break }
                let planStatus: PlanStatus = request.approve ? .approved : .rejected
                try db.execute(sql: "UPDATE crisis_plans SET status = ?, approved_by = ? WHERE case_id = ?",
                               arguments: [planStatus.requiredStoredText, request.approve ? context.principal.id : "", caseID])
                try PlanRevisionStore.decided(db, caseID: caseID, version: approval.planVersion, status: planStatus,
                                              comment: request.comment, context: context)
            case (.closure, true):
                if let caseRow { try Self.close(db, caseRow: caseRow, reason: reason, context: context) }
            case (.removal, true):
                let from = Int(try LevelStore.current(db, studentID: student.id)?.level ?? 0)
                let comment = request.comment.isEmpty ? "" : " (\(request.comment))"
                try LevelStore.change(
                    db, student: student, from: from, to: 0,
                    explanation: "removed from the warning database (解除预警), approved by \(context.principal.id): \(reason)\(comment)",
                    reason: reason, evidence: "approval:\(id)", source: .removal, context: context, timings: configuration.timings)
                try CaseDetector(configuration: configuration).levelMoved(
                    db, student: student, from: from, to: 0, cause: "removal approved by \(context.principal.id)", context: context)
            default:
                break
            }
            return try ApprovalStore.fetch(db, id: id)!.message
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
