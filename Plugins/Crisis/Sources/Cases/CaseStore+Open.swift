import GRDB
import XinyuCrisisAPI
import XinyuEventsAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// How a case began (`crisis_cases.origin`; a string in the API).
enum CaseOrigin: String, CaseIterable, StoredEnum {
    /// OpenCase by a person.
    case manual
    /// Opened in the transaction that put the student at a level owed a case (issue 12 §1).
    case detection
    /// Opened after a return from leave so the return's follow-ups belong to a case.
    case monitoring
}

extension CaseStore {
    /// The one place a case is opened: the row, its assignment timer, the "opened" history step
    /// and `crisis.case.opened`, all in the caller's transaction. `dueAtMs` is the assignment
    /// deadline, counted from `detectedAtMs` by the caller. Returns the new case id.
    @discardableResult
    static func insertOpen(
        _ db: Database, student: StudentFacts, level: Int, tier: Int, reason: String, origin: CaseOrigin,
        detectedAtMs: Int64, dueAtMs: Int64, context: CallContext
    ) throws -> Int64 {
        let now = context.nowMs
        try db.execute(sql: """
            INSERT INTO crisis_cases (student_id, school_id, class_id, level, tier, status, owner_id, opened_by, opened_at_ms,
                assign_due_at_ms, reason, origin, detected_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)
            """, arguments: [student.id, student.schoolID, student.classID, level, tier, CaseStatus.open.requiredStoredText,
                             context.principal.id, now, dueAtMs, reason, origin.rawValue, detectedAtMs])
        let id = db.lastInsertedRowID
        try EscalationTimers.caseDeadlineSet(db, caseID: id, dueAtMs: dueAtMs, tier: tier, assigned: false, context: context)
        try addEvent(db, caseID: id, kind: "opened", from: tier, to: tier, reason: reason, actor: context.principal.id, atMs: now)
        var event = Xinyu_Events_V1_CaseOpened()
        event.caseID = String(id)
        event.studentID = student.id
        event.schoolID = student.schoolID
        event.level = Int32(level)
        event.tier = tierNames[tier] ?? ""
        event.assignDueAtMs = dueAtMs
        event.openedAtMs = now
        try context.publish(CrisisTopics.caseOpened, event, in: db)
        return id
    }

    /// The student's open case, if any (at most one: `crisis_cases_one_open`).
    static func openCase(_ db: Database, studentID: String) throws -> CaseRecord? {
        try CaseRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM crisis_cases WHERE student_id = ? AND status = ?"),
                                arguments: [studentID, CaseStatus.open.requiredStoredText])
    }

    /// The tier a case starts at by default: level 1 at the school, others at the class.
    static func defaultTier(level: Int) -> Int { level == 1 ? 2 : 1 }

    /// The case as the API sends it, read again after a change.
    static func message(_ db: Database, id: Int64, nowMs: Int64) throws -> CaseMessage {
        guard let record = try CaseRecord.fetchOne(db, sql: "SELECT * FROM crisis_cases WHERE id = ?", arguments: [id]) else {
            throw RPCError(.notFound, "case \(id) not found")
        }
        return record.message(nowMs: nowMs)
    }
}
