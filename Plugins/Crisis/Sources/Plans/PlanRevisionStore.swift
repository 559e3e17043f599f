import GRDB
import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// The follow-up schedule a plan version was saved with.
struct PlanSchedule: Sendable {
    let start: String
    let intervalDays: Int
    let count: Int
}

/// Every saved version of a plan and what became of it: which version was approved, by whom,
/// and (computed when read) what changed from the version before (issue 12 §3).
enum PlanRevisionStore {
    /// Records a newly saved version; a version still pending is superseded. Returns the version.
    static func saved(
        _ db: Database, caseID: Int64, goals: [String], measures: [(description: String, responsible: String)], schedule: PlanSchedule,
        context: CallContext
    ) throws -> Int {
        let version = (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM crisis_plan_revisions WHERE case_id = ?", arguments: [caseID]) ?? 0) + 1
        try db.execute(sql: "UPDATE crisis_plan_revisions SET status = ? WHERE case_id = ? AND status = ?",
                       arguments: [PlanRevisionStatus.superseded.rawValue, caseID, PlanRevisionStatus.pendingApproval.rawValue])
        try db.execute(sql: """
            INSERT INTO crisis_plan_revisions (case_id, version, goals, measures, follow_up_start, follow_up_interval_days, follow_up_count,
                status, saved_by, saved_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [caseID, version, JSONText.strings(goals), JSONText.measures(measures), schedule.start, schedule.intervalDays,
                             schedule.count, PlanRevisionStatus.pendingApproval.rawValue, context.principal.id, context.nowMs])
        return version
    }

    /// A supervisor decided `version` (0: the latest pending one, for approvals from before revisions).
    static func decided(_ db: Database, caseID: Int64, version: Int, status: PlanStatus, comment: String, context: CallContext) throws {
        let target = version > 0 ? version : (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM crisis_plan_revisions WHERE case_id = ?",
                                                               arguments: [caseID]) ?? 0)
        let text: PlanRevisionStatus = status == .approved ? .approved : .rejected
        try db.execute(sql: "UPDATE crisis_plan_revisions SET status = ?, decided_by = ?, decided_at_ms = ?, comment = ? WHERE case_id = ? AND version = ?",
                       arguments: [text.rawValue, context.principal.id, context.nowMs, comment, caseID, target])
    }

    /// Every version, oldest first, as this reader may see them, each with what changed.
    static func revisions(_ db: Database, caseID: Int64, full: Bool, staffID: String) throws -> Xinyu_Crisis_V1_ListPlanRevisionsResponse {
        let records = try PlanRevisionRecord.fetchAll(db, sql: "SELECT * FROM crisis_plan_revisions WHERE case_id = ? ORDER BY version", arguments: [caseID])
        var response = Xinyu_Crisis_V1_ListPlanRevisionsResponse()
        response.restrictedView = !full
        var previous: PlanContent?
        for record in records {
            let content = record.content(full: full, staffID: staffID)
            var r = Xinyu_Crisis_V1_PlanRevision()
            r.caseID = String(caseID)
            r.version = Int32(record.version)
            r.status = record.status
            r.goals = content.goals
            r.measures = content.measures.map { m in MeasureMessage.with { $0.description_p = m.description; $0.responsibleID = m.responsible } }
            r.savedBy = record.savedBy
            r.savedAtMs = record.savedAtMs
            r.decidedBy = record.decidedBy
            r.decidedAtMs = record.decidedAtMs
            r.comment = record.comment
            r.followUpStart = record.followUpStart
            r.followUpIntervalDays = Int32(record.followUpIntervalDays)
            r.followUpCount = Int32(record.followUpCount)
            r.changes = PlanChanges.between(previous, content)
            previous = content
            if record.status == PlanRevisionStatus.approved.rawValue { response.approvedVersion = r.version }
            response.revisions.append(r)
        }
        return response
    }
}
