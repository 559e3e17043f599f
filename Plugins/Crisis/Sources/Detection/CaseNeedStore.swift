import Foundation
import GRDB
import XinyuCrisisCore
import XinyuPluginSDK

/// "Needs a case" items (`[detection] creates = "needs_case"`): detection's owed work when the
/// city wants a person to open each case. Each carries the assignment deadline from detection
/// and a durable timer (`crisis.case-need.due`); past it the item moves up a tier like an
/// unassigned case (``CaseNeedTimers``).
enum CaseNeedStore {
    /// Fires when an item's deadline passes with no case opened.
    static let dueTopic = "crisis.case-need.due"

    static func key(_ id: Int64) -> String { "case-need-\(id)" }

    /// The student's open item, if any (at most one: `crisis_case_needs_one_open`).
    static func open(_ db: Database, studentID: String) throws -> CaseNeedRecord? {
        try CaseNeedRecord.fetchOne(db, sql: "SELECT * FROM crisis_case_needs WHERE student_id = ? AND status = ?",
                                    arguments: [studentID, CaseNeedStatus.open.rawValue])
    }

    /// Records a new item and schedules its deadline timer.
    static func insert(_ db: Database, student: StudentFacts, level: Int, tier: Int, reason: String, dueAtMs: Int64, context: CallContext) throws {
        try db.execute(sql: """
            INSERT INTO crisis_case_needs (student_id, school_id, class_id, level, tier, detected_at_ms, due_at_ms, status, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [student.id, student.schoolID, student.classID, level, tier, context.nowMs, dueAtMs, CaseNeedStatus.open.rawValue, reason])
        try schedule(db, id: db.lastInsertedRowID, dueAtMs: dueAtMs, tier: tier, context: context)
    }

    /// The item's level follows the student's; a raise brings its deadline forward when sooner.
    static func follow(_ db: Database, _ need: CaseNeedRecord, level: Int, context: CallContext, timings: CrisisTimings) throws {
        var due = need.dueAtMs
        if level < need.level { due = min(due, context.nowMs + Int64(timings.assignmentMinutes(level: level)) * 60_000) }
        try db.execute(sql: "UPDATE crisis_case_needs SET level = ?, due_at_ms = ? WHERE id = ?", arguments: [level, due, need.id])
        if due != need.dueAtMs { try schedule(db, id: need.id, dueAtMs: due, tier: need.tier, context: context) }
    }

    /// OpenCase turned the item into case `caseID`: its deadline is the case's now.
    static func resolve(_ db: Database, _ need: CaseNeedRecord, caseID: Int64, context: CallContext) throws {
        try db.execute(sql: "UPDATE crisis_case_needs SET status = ?, case_id = ?, resolved_by = ?, resolved_at_ms = ? WHERE id = ?",
                       arguments: [CaseNeedStatus.opened.rawValue, caseID, context.principal.id, context.nowMs, need.id])
        try context.cancelTimer(key: key(need.id), in: db)
    }

    /// The student left the warning database before anyone opened a case.
    static func withdraw(_ db: Database, _ need: CaseNeedRecord, reason: String, context: CallContext) throws {
        try db.execute(sql: "UPDATE crisis_case_needs SET status = ?, reason = reason || '; ' || ?, resolved_by = ?, resolved_at_ms = ? WHERE id = ?",
                       arguments: [CaseNeedStatus.withdrawn.rawValue, reason, context.principal.id, context.nowMs, need.id])
        try context.cancelTimer(key: key(need.id), in: db)
    }

    /// Sets the item's timer to its deadline; at the city tier nothing escalates further.
    static func schedule(_ db: Database, id: Int64, dueAtMs: Int64, tier: Int, context: CallContext) throws {
        if tier >= 3 {
            try context.cancelTimer(key: key(id), in: db)
        } else {
            try context.schedule(at: Date(timeIntervalSince1970: Double(dueAtMs) / 1000), topic: dueTopic,
                                 payload: CaseNeedDeadline(needID: id), key: key(id), in: db)
        }
    }
}

/// The payload of a "needs a case" item's deadline timer.
struct CaseNeedDeadline: Codable, Sendable {
    let needID: Int64
}
