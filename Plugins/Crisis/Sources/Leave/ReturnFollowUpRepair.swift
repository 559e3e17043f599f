import GRDB
import XinyuCrisisCore
import XinyuPluginSDK

/// Follow-ups scheduled after a return by an older version belong to no case, so nobody could
/// record them and they stayed overdue forever. At start-up each such student's open follow-ups
/// are given the case ``ReturnCase`` finds, reopens or opens. Finds nothing once repaired.
struct ReturnFollowUpRepair: Sendable {
    let configuration: CrisisConfiguration

    func run(_ context: CallContext) async throws {
        let timings = configuration.timings
        let repaired = try await context.store.write { db -> Int in
            let rows = try Row.fetchAll(db, sql: """
                SELECT DISTINCT student_id, school_id, class_id FROM crisis_follow_ups WHERE case_id IS NULL AND done_on = ''
                """)
            for row in rows {
                let student = StudentFacts(id: row["student_id"], schoolID: row["school_id"], classID: row["class_id"])
                let caseID = try ReturnCase.ensure(db, student: student, reason: "follow-ups after a return had no case", context: context, timings: timings)
                try db.execute(sql: "UPDATE crisis_follow_ups SET case_id = ? WHERE student_id = ? AND case_id IS NULL AND done_on = ''",
                               arguments: [caseID, student.id])
            }
            return rows.count
        }
        if repaired > 0 { context.logger.notice("gave return follow-ups a case", metadata: ["students": "\(repaired)"]) }
    }
}
