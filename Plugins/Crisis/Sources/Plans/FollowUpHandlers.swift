import GRDB
import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// RecordFollowUp and ListFollowUps (upcoming and overdue, per owner, school or city).
struct FollowUpHandlers: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.unary("RecordFollowUp", permission: CrisisPermissions.caseWrite, mutates: true, placement: .eventLoop, handler: record)
        s.unary("ListFollowUps", permission: CrisisPermissions.caseRead, handler: list)
    }

    @Sendable func record(_ request: Xinyu_Crisis_V1_RecordFollowUpRequest, _ context: CallContext) async throws -> FollowUpMessage {
        let today = context.today
        let held = try CalendarDay.fromRequest(request.heldOn, field: "held_on", default: today)
        guard held <= today else { throw RPCError.invalidField("held_on", "\(held) is in the future") }
        let summary = try Require.text("summary", request.summary)
        return try await context.store.write { db in
            let row = try CaseStore.open(db, id: request.caseID, context: context)
            let caseID: Int64 = row["id"]
            let now = context.nowMs
            let followUpID: Int64
            if request.followUpID.isEmpty {
                try db.cachedStatement(sql: """
                    INSERT INTO crisis_follow_ups (case_id, student_id, school_id, class_id, due_on, done_on, summary, recorded_by, recorded_at_ms, origin)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [caseID, row["student_id"] as String, row["school_id"] as String, row["class_id"] as String,
                                             held.description, held.description, summary, context.principal.id, now, FollowUpOrigin.extra.requiredStoredText])
                followUpID = db.lastInsertedRowID
            } else {
                followUpID = try Require.id("follow_up_id", request.followUpID, what: "follow-up")
                try db.cachedStatement(sql: """
                    UPDATE crisis_follow_ups SET done_on = ?, summary = ?, recorded_by = ?, recorded_at_ms = ? WHERE id = ? AND case_id = ?
                    """).execute(arguments: [held.description, summary, context.principal.id, now, followUpID, caseID])
                guard db.changesCount == 1 else { throw RPCError(.notFound, "follow-up \(request.followUpID) not found in case \(request.caseID)") }
            }
            return try FollowUpRecord.fetchOne(db.cachedStatement(sql: "\(FollowUpStore.select) WHERE f.id = ?"), arguments: [followUpID])!.message
        }
    }

    @Sendable func list(_ request: Xinyu_Crisis_V1_ListFollowUpsRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_ListFollowUpsResponse {
        let window = DueWindow(today: context.today, requestedDays: Int(request.withinDays))
        return try await context.store.read { db in
            let scope = context.crisisScope("f")
            // Follow-ups of closed cases are no longer owed; those after a return have no case.
            var sql = "\(FollowUpStore.select) WHERE f.done_on = '' AND f.due_on <= ? AND (c.id IS NULL OR c.status = ?) AND \(scope.sql)"
            var arguments: StatementArguments = [window.lastDay.description, CaseStatus.open.requiredStoredText]
            arguments += scope.arguments
            if !request.ownerID.isEmpty { sql += " AND c.owner_id = ?"; arguments += [request.ownerID] }
            if !request.schoolID.isEmpty { sql += " AND \(context.crisisSchoolFilter("f"))"; arguments += [request.schoolID] }
            sql += " ORDER BY f.due_on, f.id LIMIT 5000"
            let rows = try FollowUpRecord.fetchAll(db, sql: sql, arguments: arguments).map(\.message)
            var response = Xinyu_Crisis_V1_ListFollowUpsResponse()
            (response.overdue, response.upcoming) = window.split(rows, dueOn: \.dueOn)
            context.touched(subjects: Array(Set(rows.map(\.studentID))).sorted())
            return response
        }
    }
}
