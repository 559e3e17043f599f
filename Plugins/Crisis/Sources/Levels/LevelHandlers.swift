import GRDB
import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// GetWarningLevel, SetWarningLevel, ListLevelHistory, ListWarnings, ListReviews.
struct LevelHandlers: Sendable {
    let configuration: CrisisConfiguration

    func register(_ s: inout ServiceBuilder) {
        s.unary("GetWarningLevel", permission: CrisisPermissions.levelRead, placement: .eventLoop, handler: get)
        s.unary("SetWarningLevel", permission: CrisisPermissions.levelWrite, mutates: true, handler: set)
        s.unary("ListLevelHistory", permission: CrisisPermissions.levelRead, handler: history)
        s.unary("ListWarnings", permission: CrisisPermissions.levelRead, handler: list)
        s.unary("ListReviews", permission: CrisisPermissions.levelRead, handler: reviews)
    }

    @Sendable func get(_ request: Xinyu_Crisis_V1_GetWarningLevelRequest, _ context: CallContext) async throws -> WarningLevelMessage {
        try await context.store.read { db in
            let student = try StudentFacts.visible(db, id: request.studentID, context: context)
            return try LevelStore.current(db, studentID: student.id) ?? LevelStore.none(student)
        }
    }

    /// Psych staff confirm, raise or lower a level with a reason. Level 0 (removal from the
    /// database) needs a supervisor's approval, so it is refused here.
    @Sendable func set(_ request: Xinyu_Crisis_V1_SetWarningLevelRequest, _ context: CallContext) async throws -> WarningLevelMessage {
        guard (1...3).contains(request.level) else {
            if request.level == 0 {
                throw RPCError(.failedPrecondition, "field level: 0 removes the student from the warning database, which needs a supervisor's approval: RequestApproval with subject REMOVAL")
            }
            throw RPCError.invalidField("level", "\(request.level) is not a warning level (1–3)")
        }
        let reason = try Require.text("reason", request.reason)
        let configuration = self.configuration
        let timings = configuration.timings
        return try await context.store.write { db in
            let student = try StudentFacts.visible(db, id: request.studentID, context: context)
            let from = Int(try LevelStore.current(db, studentID: student.id)?.level ?? 0)
            let to = Int(request.level)
            let verb = to == from ? "confirmed" : (from == 0 || to < from ? "raised" : "lowered")
            let explanation = "level \(to) \(verb) by \(context.principal.id): \(reason)" + (request.evidence.isEmpty ? "" : " (evidence: \(request.evidence))")
            let stored = try LevelStore.change(
                db, student: student, from: from, to: to, explanation: explanation, reason: reason, evidence: request.evidence,
                source: .staff, context: context, timings: timings)
            try CaseDetector(configuration: configuration).levelMoved(
                db, student: student, from: from, to: to, cause: "\(verb) by \(context.principal.id)", context: context)
            return stored
        }
    }

    @Sendable func history(_ request: Xinyu_Crisis_V1_ListLevelHistoryRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_ListLevelHistoryResponse {
        try await context.store.read { db in
            let student = try StudentFacts.visible(db, id: request.studentID, context: context)
            var response = Xinyu_Crisis_V1_ListLevelHistoryResponse()
            response.changes = try LevelChangeRecord.fetchAll(db, sql: "SELECT * FROM crisis_level_changes WHERE student_id = ? ORDER BY id",
                                                              arguments: [student.id]).map(\.message)
            return response
        }
    }

    @Sendable func list(_ request: Xinyu_Crisis_V1_ListWarningsRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_ListWarningsResponse {
        guard (0...3).contains(request.level) else { throw RPCError.invalidField("level", "\(request.level) is not a warning level (1–3, or 0 for all)") }
        let page = PageRequest(list: "crisis.warnings", filters: [request.schoolID, String(request.level), String(request.noOpenCase), String(request.noOwner)],
                               size: PageRequest.clampedSize(request.limit, default: 200, maximum: 1000), token: request.pageToken)
        return try await context.store.read { db in
            let scope = context.crisisScope("l")
            var query = KeysetQuery(select: LevelStore.columns, from: "crisis_levels l", orderBy: [
                .init("l.level", as: "level"), .init("l.review_due", as: "review_due"), .init("l.student_id", as: "student_id"),
            ])
            query.filter("l.level > 0")
            query.filter(scope.sql, arguments: scope.arguments)
            if !request.schoolID.isEmpty { query.filter(context.crisisSchoolFilter("l"), [request.schoolID]) }
            if request.level > 0 { query.filter("l.level = ?", [Int(request.level)]) }
            let open = CaseStatus.open.requiredStoredText
            if request.noOpenCase {
                query.filter("NOT EXISTS (SELECT 1 FROM crisis_cases c WHERE c.student_id = l.student_id AND c.status = ?)", [open])
            }
            if request.noOwner {
                query.filter("NOT EXISTS (SELECT 1 FROM crisis_cases c WHERE c.student_id = l.student_id AND c.status = ? AND c.owner_id IS NOT NULL)", [open])
            }
            let found = try query.page(db, page, as: LevelRecord.self).map(\.message)
            var response = Xinyu_Crisis_V1_ListWarningsResponse()
            response.warnings = found.items
            response.nextPageToken = found.nextPageToken
            context.touched(subjects: response.warnings.map(\.studentID))
            return response
        }
    }

    @Sendable func reviews(_ request: Xinyu_Crisis_V1_ListReviewsRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_ListReviewsResponse {
        let window = DueWindow(today: context.today, requestedDays: Int(request.withinDays))
        return try await context.store.read { db in
            let scope = context.crisisScope("l")
            var sql = "SELECT \(LevelStore.columns) FROM crisis_levels l WHERE l.level > 0 AND l.review_due <= ? AND \(scope.sql)"
            var arguments: StatementArguments = [window.lastDay.description]
            arguments += scope.arguments
            if !request.schoolID.isEmpty { sql += " AND \(context.crisisSchoolFilter("l"))"; arguments += [request.schoolID] }
            sql += " ORDER BY l.review_due, l.level"
            let rows = try LevelRecord.fetchAll(db, sql: sql, arguments: arguments).map(\.message)
            var response = Xinyu_Crisis_V1_ListReviewsResponse()
            (response.overdue, response.due) = window.split(rows, dueOn: \.reviewDue)
            context.touched(subjects: rows.map(\.studentID))
            return response
        }
    }
}
