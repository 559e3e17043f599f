import GRDB
import XinyuCrisisAPI
import XinyuEventsAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// Reading and changing cases; every change leaves a `crisis_case_events` row.
enum CaseStore {
    static let tierNames = [1: "class", 2: "school", 3: "city"]

    /// A case the caller may see (NOT_FOUND otherwise, like a missing one), reported for the audit.
    static func visible(_ db: Database, id text: String, field: String = "case_id", context: CallContext) throws -> Row {
        let id = try Require.id(field, text, what: "case")
        // Cached: on the path of every case write (issue 5 profile).
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM crisis_cases WHERE id = ?"), arguments: [id]) else {
            throw RPCError(.notFound, "case \(text) not found")
        }
        let student: String = row["student_id"]
        context.touched(subjects: [student])
        // Where the student is now, not the school the case was opened in: it moves with them.
        try StudentFacts.requireVisible(db, id: student, what: "case \(text)", context: context)
        return row
    }

    /// An open case the caller may see.
    static func open(_ db: Database, id: String, context: CallContext) throws -> Row {
        let row = try visible(db, id: id, context: context)
        guard Xinyu_Crisis_V1_CaseStatus(storedText: row["status"]) == .open else { throw RPCError(.failedPrecondition, "case \(id) is closed") }
        return row
    }

    static func addEvent(_ db: Database, caseID: Int64, kind: String, from: Int, to: Int, reason: String, actor: String, atMs: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO crisis_case_events (case_id, kind, from_tier, to_tier, reason, actor, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [caseID, kind, from, to, reason, actor, atMs])
    }

    /// Moves a case one tier up or down, records it, and publishes `crisis.case.escalated`.
    /// An unassigned case gets a fresh assignment deadline at its new tier.
    static func changeTier(
        _ db: Database, row: Row, to tier: Int, reason: String, automatic: Bool, context: CallContext, timings: CrisisTimings
    ) throws {
        let id: Int64 = row["id"]
        let from: Int = row["tier"]
        let level: Int = row["level"]
        let now = context.nowMs
        let newDue = now + Int64(timings.assignmentDeadlineMinutes[level] ?? 60) * 60_000
        try db.execute(sql: """
            UPDATE crisis_cases SET tier = ?, assign_due_at_ms = CASE WHEN owner_id IS NULL THEN ? ELSE assign_due_at_ms END WHERE id = ?
            """, arguments: [tier, newDue, id])
        let assigned = (row["owner_id"] as String?) != nil
        try EscalationTimers.caseDeadlineSet(db, caseID: id, dueAtMs: newDue, tier: tier, assigned: assigned, context: context)
        let kind = automatic ? "auto_escalated" : (tier > from ? "escalated" : "deescalated")
        try addEvent(db, caseID: id, kind: kind, from: from, to: tier, reason: reason, actor: context.principal.id, atMs: now)
        var event = Xinyu_Events_V1_CaseEscalated()
        event.caseID = String(id)
        event.studentID = row["student_id"]
        event.schoolID = row["school_id"]
        event.fromTier = tierNames[from] ?? ""
        event.toTier = tierNames[tier] ?? ""
        event.reason = reason
        event.automatic = automatic
        event.escalatedBy = context.principal.id
        event.escalatedAtMs = now
        try context.publish(CrisisTopics.caseEscalated, event, in: db)
    }

    static func events(_ db: Database, caseID: Int64) throws -> [Xinyu_Crisis_V1_CaseEvent] {
        try CaseEventRecord.fetchAll(db, sql: "SELECT * FROM crisis_case_events WHERE case_id = ? ORDER BY id", arguments: [caseID]).map(\.message)
    }
}
