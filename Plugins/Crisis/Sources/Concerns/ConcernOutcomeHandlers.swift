import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// RecordConcernOutcome and ListMyConcerns: the heart-grid loop closes. Psych staff record what
/// a concern led to (no concern, watch, case opened, referred), and the mentor or teacher who
/// raised it follows its status in a list of their own.
struct ConcernOutcomeHandlers: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.unary("RecordConcernOutcome", permission: CrisisPermissions.concernAck, mutates: true, handler: recordOutcome)
        s.unary("ListMyConcerns", permission: CrisisPermissions.concernWrite, handler: listMine)
    }

    /// Records the outcome (the latest recorded stands). A concern not yet acknowledged is
    /// acknowledged by it, and its escalation timers are cancelled. "case opened" needs the
    /// student's open case and "referred" a referral requested since the concern was raised;
    /// both are stored with the concern.
    @Sendable func recordOutcome(_ request: Xinyu_Crisis_V1_RecordConcernOutcomeRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_Concern {
        let id = try Require.id("concern_id", request.concernID, what: "concern")
        let outcome = try ConcernOutcome.storedText(of: request.outcome, field: "outcome")
        let note = request.note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= 2000 else { throw RPCError.invalidField("note", "is longer than 2000 characters") }
        return try await context.store.write { db in
            guard let concern = try ConcernRecord.fetchOne(db, sql: "SELECT * FROM crisis_concerns WHERE id = ?", arguments: [id]) else {
                throw RPCError(.notFound, "concern \(request.concernID) not found")
            }
            context.touched(subjects: [concern.studentID])
            try context.requireScope(ScopeTarget(schoolID: concern.schoolID, classID: concern.classID, studentID: concern.studentID),
                                     what: "concern \(request.concernID)", hideExistence: true, in: db)
            var caseID: Int64?
            var referralID: Int64?
            switch request.outcome {
            case .caseOpened:
                caseID = try Int64.fetchOne(db, sql: "SELECT id FROM crisis_cases WHERE student_id = ? AND status = ?",
                                            arguments: [concern.studentID, CaseStatus.open.requiredStoredText])
                guard caseID != nil else {
                    throw RPCError(.failedPrecondition, "field outcome: student \(concern.studentID) has no open case; open one (OpenCase) first")
                }
            case .referred:
                referralID = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM crisis_referrals WHERE student_id = ? AND requested_at_ms >= ?",
                                                arguments: [concern.studentID, concern.raisedAtMs])
                guard referralID != nil else {
                    throw RPCError(.failedPrecondition, "field outcome: student \(concern.studentID) has no referral requested since the concern was raised; request one (RequestReferral) first")
                }
            default:
                break
            }
            let now = context.nowMs
            if ConcernStatus(storedText: concern.status) != .acknowledged {
                try db.execute(sql: "UPDATE crisis_concerns SET status = ?, acknowledged_by = ?, acknowledged_at_ms = ? WHERE id = ?",
                               arguments: [ConcernStatus.acknowledged.requiredStoredText, context.principal.id, now, id])
                try EscalationTimers.concernAcknowledged(db, concernID: id, context: context)
            }
            try db.execute(sql: """
                UPDATE crisis_concerns SET outcome = ?, outcome_note = ?, outcome_by = ?, outcome_at_ms = ?, outcome_case_id = ?, outcome_referral_id = ?
                WHERE id = ?
                """, arguments: [outcome, note, context.principal.id, now, caseID, referralID, id])
            return try ConcernRecord.fetchOne(db, sql: "SELECT * FROM crisis_concerns WHERE id = ?", arguments: [id])!.message
        }
    }

    /// The concerns the caller raised, newest first, limited to students still inside the
    /// caller's data scope (a mentor whose student left their grid no longer sees how it went).
    /// Notes (acknowledgement and outcome) are clinical: only holders of crisis.concern.ack see them.
    @Sendable func listMine(_ request: Xinyu_Crisis_V1_ListMyConcernsRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_ListConcernsResponse {
        try await context.store.read { db in
            let scope = context.crisisScope("k")
            var sql = "SELECT * FROM crisis_concerns k WHERE k.raised_by = ? AND \(scope.sql)"
            var arguments: StatementArguments = [context.principal.id]
            arguments += scope.arguments
            if request.openOnly { sql += " AND k.outcome = ''" }
            sql += " ORDER BY k.id DESC LIMIT 200"
            let seesNotes = context.principal.has(CrisisPermissions.concernAck)
            var response = Xinyu_Crisis_V1_ListConcernsResponse()
            response.concerns = try ConcernRecord.fetchAll(db, sql: sql, arguments: arguments).map { record in
                var concern = record.message
                if !seesNotes {
                    concern.acknowledgeNote = ""
                    concern.outcomeNote = ""
                }
                return concern
            }
            context.touched(subjects: Array(Set(response.concerns.map(\.studentID))).sorted())
            return response
        }
    }
}
