import GRDB
import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// ListSafetyReviews and RecordSafetyReview: the reviews a psych teacher owes when a
/// screening's safety questions were left unanswered. Overdue is judged when asked, like
/// level reviews and follow-ups.
struct SafetyReviewHandlers: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.unary("ListSafetyReviews", permission: CrisisPermissions.levelRead, handler: list)
        s.unary("RecordSafetyReview", permission: CrisisPermissions.levelWrite, mutates: true, handler: record)
    }

    @Sendable func list(_ request: Xinyu_Crisis_V1_ListSafetyReviewsRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_ListSafetyReviewsResponse {
        try await context.store.read { db in
            let scope = context.crisisScope("r")
            var sql = "SELECT r.* FROM crisis_safety_reviews r WHERE \(scope.sql)"
            var arguments = scope.arguments
            if !request.includeDone { sql += " AND r.status = ?"; arguments += [SafetyReviewStatus.open.rawValue] }
            if !request.schoolID.isEmpty { sql += " AND r.school_id = ?"; arguments += [request.schoolID] }
            sql += " ORDER BY r.status DESC, r.due_at_ms, r.id LIMIT 5000"
            var response = Xinyu_Crisis_V1_ListSafetyReviewsResponse()
            response.reviews = try SafetyReviewRecord.fetchAll(db, sql: sql, arguments: arguments).map { $0.message(nowMs: context.nowMs) }
            context.touched(subjects: Array(Set(response.reviews.map(\.studentID))).sorted())
            return response
        }
    }

    /// A psych teacher records what the review found; the level, if it must change, changes
    /// through SetWarningLevel with its own reason.
    @Sendable func record(_ request: Xinyu_Crisis_V1_RecordSafetyReviewRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_SafetyReview {
        let id = try Require.id("review_id", request.reviewID, what: "safety review")
        let summary = try Require.text("summary", request.summary)
        return try await context.store.write { db in
            guard let review = try SafetyReviewRecord.fetchOne(db, sql: "SELECT * FROM crisis_safety_reviews WHERE id = ?", arguments: [id]) else {
                throw RPCError(.notFound, "safety review \(request.reviewID) not found")
            }
            context.touched(subjects: [review.studentID])
            try context.requireScope(ScopeTarget(schoolID: review.schoolID, classID: review.classID, studentID: review.studentID),
                                     what: "safety review \(request.reviewID)", hideExistence: true, in: db)
            guard review.status == SafetyReviewStatus.open.rawValue else {
                throw RPCError(.failedPrecondition, "safety review \(request.reviewID) was already recorded")
            }
            try db.execute(sql: "UPDATE crisis_safety_reviews SET status = ?, done_by = ?, done_at_ms = ?, summary = ? WHERE id = ?",
                           arguments: [SafetyReviewStatus.done.rawValue, context.principal.id, context.nowMs, summary, id])
            return try SafetyReviewRecord.fetchOne(db, sql: "SELECT * FROM crisis_safety_reviews WHERE id = ?", arguments: [id])!.message(nowMs: context.nowMs)
        }
    }
}
