import GRDB
import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// The case a return's follow-ups belong to (issue 12 §3), so that each can be recorded
/// (RecordFollowUp needs an open case) and none stays overdue forever: the student's open case;
/// else their most recent case, reopened; else a new monitoring case. A reopened or new case
/// without an owner gets an assignment deadline and its timer, like any other.
enum ReturnCase {
    /// The id of the open case for `student`, reopening or opening one when needed.
    static func ensure(_ db: Database, student: StudentFacts, reason: String, context: CallContext, timings: CrisisTimings) throws -> Int64 {
        if let open = try CaseStore.openCase(db, studentID: student.id) { return open.id }
        let level = Int(try LevelStore.current(db, studentID: student.id)?.level ?? 0)
        let now = context.nowMs
        let due = now + Int64(timings.assignmentMinutes(level: level)) * 60_000
        if let last = try CaseRecord.fetchOne(db, sql: "SELECT * FROM crisis_cases WHERE student_id = ? ORDER BY id DESC LIMIT 1",
                                              arguments: [student.id]) {
            let assigned = last.ownerID != nil
            try db.execute(sql: """
                UPDATE crisis_cases SET status = ?, closed_at_ms = 0, level = CASE WHEN ? > 0 THEN ? ELSE level END,
                    assign_due_at_ms = CASE WHEN owner_id IS NULL THEN ? ELSE assign_due_at_ms END WHERE id = ?
                """, arguments: [CaseStatus.open.requiredStoredText, level, level, due, last.id])
            try EscalationTimers.caseDeadlineSet(db, caseID: last.id, dueAtMs: due, tier: last.tier, assigned: assigned, context: context)
            try CaseStore.addEvent(db, caseID: last.id, kind: "reopened", from: last.tier, to: last.tier, reason: reason,
                                   actor: context.principal.id, atMs: now)
            return last.id
        }
        return try CaseStore.insertOpen(db, student: student, level: level, tier: 1, reason: reason, origin: .monitoring,
                                        detectedAtMs: now, dueAtMs: due, context: context)
    }
}
