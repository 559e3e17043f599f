import GRDB
import XinyuCrisisCore
import XinyuPluginSDK

/// Safety reviews (安全复核): the warning policy's answer to a screening whose safety questions
/// were left unanswered (issue 12 §6). One open review per student: a later flagged result
/// brings its deadline forward when sooner and adds its flags, never a second review.
enum SafetyReviewStore {
    /// Asks for a review of `student` because result `resultID` matched `rule`.
    static func request(_ db: Database, student: StudentFacts, resultID: Int64, result: ScoreResult, rule: ReviewRule, context: CallContext) throws {
        let now = context.nowMs
        let due = now + Int64(rule.withinHours) * 3_600_000
        let flags = result.flags.filter { $0.hasSuffix("_unanswered") || $0 == rule.flag }
        let reason = "screening result \(resultID): \(rule.summary)"
        if let open = try SafetyReviewRecord.fetchOne(db, sql: "SELECT * FROM crisis_safety_reviews WHERE student_id = ? AND status = ?",
                                                      arguments: [student.id, SafetyReviewStatus.open.rawValue]) {
            let merged = Array(Set(open.flags.split(separator: ",").map(String.init) + flags)).sorted()
            try db.execute(sql: "UPDATE crisis_safety_reviews SET due_at_ms = MIN(due_at_ms, ?), flags = ?, reason = reason || '; ' || ? WHERE id = ?",
                           arguments: [due, merged.joined(separator: ","), reason, open.id])
            return
        }
        try db.cachedStatement(sql: """
            INSERT INTO crisis_safety_reviews (student_id, school_id, class_id, result_id, flags, reason, requested_at_ms, due_at_ms, status)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [student.id, student.schoolID, student.classID, resultID, flags.joined(separator: ","), reason,
                                     now, due, SafetyReviewStatus.open.rawValue])
    }
}
