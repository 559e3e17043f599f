import GRDB
import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// GetStatistics: per school and for the city, always within the caller's scope. Counts only:
/// no student ids leave this method.
struct StatisticsHandlers: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.unary("GetStatistics", permission: CrisisPermissions.statsRead, handler: get)
    }

    @Sendable func get(_ request: Xinyu_Crisis_V1_GetStatisticsRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_Statistics {
        let today = context.today.description
        let now = context.nowMs
        let open = CaseStatus.open.requiredStoredText
        return try await context.store.read { db in
            var schools: [String: Xinyu_Crisis_V1_SchoolStatistics] = [:]
            func add(_ sql: String, alias: String, _ extra: StatementArguments = [], _ apply: (inout Xinyu_Crisis_V1_SchoolStatistics, Row) -> Void) throws {
                let scope = context.crisisScope(alias)
                // Counted under the school the student is in now (a transfer moves them), or the
                // school the row was written in when the directory no longer has the student.
                let school = DirectoryReader.currentSchoolSQL(studentColumn: "\(alias).student_id", fallback: "\(alias).school_id")
                var full = sql.replacingOccurrences(of: "$SCOPE", with: scope.sql)
                    .replacingOccurrences(of: "SELECT \(alias).school_id,", with: "SELECT \(school) AS school_id,")
                var arguments = extra
                arguments += scope.arguments
                if !request.schoolID.isEmpty { full += " AND \(context.crisisSchoolFilter(alias))"; arguments += [request.schoolID] }
                full += " GROUP BY 1"
                for row in try Row.fetchAll(db, sql: full, arguments: arguments) {
                    let school: String = row["school_id"]
                    var stats = schools[school] ?? Self.empty(school)
                    apply(&stats, row)
                    schools[school] = stats
                }
            }
            try add("""
                SELECT l.school_id, SUM(l.level = 1) AS l1, SUM(l.level = 2) AS l2, SUM(l.level = 3) AS l3, SUM(l.review_due < ?) AS overdue
                FROM crisis_levels l WHERE l.level > 0 AND $SCOPE
                """, alias: "l", [today]) { s, r in
                s.level1 = r["l1"]; s.level2 = r["l2"]; s.level3 = r["l3"]; s.overdueReviews = r["overdue"]
            }
            try add("""
                SELECT l.school_id, COUNT(DISTINCT l.student_id) AS n FROM crisis_levels l
                JOIN crisis_cases c ON c.student_id = l.student_id AND c.status = ?
                JOIN crisis_plans p ON p.case_id = c.id AND p.status = ?
                WHERE l.level IN (1, 2) AND $SCOPE
                """, alias: "l", [open, PlanStatus.approved.requiredStoredText]) { s, r in s.level12WithApprovedPlan = r["n"] }
            try add("""
                SELECT c.school_id, COUNT(*) AS open, SUM(c.owner_id IS NULL AND c.assign_due_at_ms < ?) AS overdue
                FROM crisis_cases c WHERE c.status = ? AND $SCOPE
                """, alias: "c", [now, open]) { s, r in s.openCases = r["open"]; s.overdueAssignments = r["overdue"] }
            try add("""
                SELECT f.school_id, COUNT(*) AS n FROM crisis_follow_ups f LEFT JOIN crisis_cases c ON c.id = f.case_id
                WHERE f.done_on = '' AND f.due_on < ? AND (c.id IS NULL OR c.status = ?) AND $SCOPE
                """, alias: "f", [today, open]) { s, r in s.overdueFollowUps = r["n"] }
            try add("SELECT k.school_id, COUNT(*) AS n FROM crisis_concerns k WHERE k.status <> ? AND $SCOPE", alias: "k",
                        [ConcernStatus.acknowledged.requiredStoredText]) { s, r in
                s.unacknowledgedConcerns = r["n"]
            }
            var response = Xinyu_Crisis_V1_Statistics()
            response.schools = schools.keys.sorted().map { Self.withCoverage(schools[$0]!) }
            var total = Self.empty("")
            for s in response.schools {
                total.level1 += s.level1; total.level2 += s.level2; total.level3 += s.level3
                total.level12WithApprovedPlan += s.level12WithApprovedPlan
                total.overdueAssignments += s.overdueAssignments; total.overdueReviews += s.overdueReviews
                total.overdueFollowUps += s.overdueFollowUps; total.unacknowledgedConcerns += s.unacknowledgedConcerns
                total.openCases += s.openCases
            }
            response.total = Self.withCoverage(total)
            if !request.schoolID.isEmpty { response.total.schoolID = request.schoolID }
            response.rounds = try Self.rounds(db, request: request, context: context)
            return response
        }
    }

    /// Completion per round: students with a result in the round over students in scope.
    static func rounds(_ db: Database, request: Xinyu_Crisis_V1_GetStatisticsRequest, context: CallContext) throws -> [Xinyu_Crisis_V1_RoundCompletion] {
        let students = try context.directory.countStudents(within: context.principal.scopes, schoolID: request.schoolID, in: db)
        let scope = context.crisisScope("r")
        var sql = "SELECT r.round_id, COUNT(DISTINCT r.student_id) AS n FROM crisis_screening_results r WHERE r.round_id <> '' AND \(scope.sql)"
        var arguments = scope.arguments
        if !request.schoolID.isEmpty { sql += " AND \(context.crisisSchoolFilter("r"))"; arguments += [request.schoolID] }
        if !request.roundIds.isEmpty {
            sql += " AND r.round_id IN (SELECT value FROM json_each(?))"
            arguments += [JSONText.strings(request.roundIds)]
        }
        sql += " GROUP BY r.round_id ORDER BY r.round_id"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            var round = Xinyu_Crisis_V1_RoundCompletion()
            round.roundID = row["round_id"]
            round.screened = row["n"]
            round.students = students
            round.completionRate = students > 0 ? Double(round.screened) / Double(students) : 0
            return round
        }
    }

    static func empty(_ school: String) -> Xinyu_Crisis_V1_SchoolStatistics {
        var s = Xinyu_Crisis_V1_SchoolStatistics()
        s.schoolID = school
        return s
    }

    static func withCoverage(_ stats: Xinyu_Crisis_V1_SchoolStatistics) -> Xinyu_Crisis_V1_SchoolStatistics {
        var s = stats
        let base = s.level1 + s.level2
        s.planCoverage = base == 0 ? 1 : Double(s.level12WithApprovedPlan) / Double(base)
        return s
    }
}
