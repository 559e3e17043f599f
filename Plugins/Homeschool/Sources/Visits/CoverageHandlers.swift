import GRDB
import XinyuHomeschoolAPI
import XinyuHomeschoolCore
import XinyuPluginSDK

/// GetCoverage and ListUnvisited: how many students had their home visit this school year, per
/// class, school and city, and who has not yet.
struct CoverageHandlers: Sendable {
    let configuration: HomeschoolConfiguration

    func register(_ s: inout ServiceBuilder) {
        s.unary("GetCoverage", permission: HomeschoolPermissions.statsRead, handler: coverage)
        s.unary("ListUnvisited", permission: HomeschoolPermissions.read, handler: unvisited)
    }

    func year(_ requested: Int32, _ context: CallContext) throws -> Int {
        guard requested != 0 else { return configuration.schoolYear.year(of: context.today) }
        guard (2000...2100).contains(requested) else { throw RPCError.invalidField("school_year", "\(requested) is not a school year (e.g. 2026)") }
        return Int(requested)
    }

    /// Students come from the directory as it is now (per class, within the caller's scope);
    /// visited students are those with a visit done this school year, counted in the class they
    /// were in when visited.
    @Sendable func coverage(_ request: Xinyu_Homeschool_V1_GetCoverageRequest, _ context: CallContext) async throws -> Xinyu_Homeschool_V1_GetCoverageResponse {
        let year = try year(request.schoolYear, context)
        let schoolID = request.schoolID.isEmpty ? nil : request.schoolID
        return try await context.store.read { db in
            let headcounts = try context.directory.headcountsByClass(within: context.principal.scopes, schoolID: schoolID, in: db)
            let scope = context.scopeFilter(ScopeColumns(school: "v.school_id", class: "v.class_id", student: "v.student_id"))
            var sql = """
                SELECT v.class_id, COUNT(DISTINCT v.student_id) FROM homeschool_visits v
                WHERE v.school_year = ? AND v.status = ? AND \(scope.sql)
                """
            var arguments: StatementArguments = [year, VisitStatus.done.requiredStoredText]
            arguments += scope.arguments
            if let schoolID {
                sql += " AND v.school_id = ?"
                arguments += [schoolID]
            }
            sql += " GROUP BY v.school_id, v.class_id"
            var visited: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) { visited[row[0]] = row[1] }
            return Self.response(year: year, days: configuration.schoolYear.days(of: year), headcounts: headcounts, visited: visited)
        }
    }

    static func response(year: Int, days: (first: CalendarDay, last: CalendarDay), headcounts: [ClassHeadcount], visited: [String: Int64]) -> Xinyu_Homeschool_V1_GetCoverageResponse {
        var reply = Xinyu_Homeschool_V1_GetCoverageResponse()
        reply.schoolYear = Int32(year)
        reply.firstDay = days.first.description
        reply.lastDay = days.last.description
        var schools: [String: Xinyu_Homeschool_V1_CoverageLine] = [:]
        var order: [String] = []
        for count in headcounts {
            var line = Xinyu_Homeschool_V1_CoverageLine()
            line.schoolID = count.schoolID
            line.classID = count.classID
            line.students = count.students
            // A class cannot be more than fully covered, even if students moved into it after a visit elsewhere.
            line.visited = min(visited[count.classID] ?? 0, count.students)
            reply.classes.append(line)
            if schools[count.schoolID] == nil { order.append(count.schoolID); schools[count.schoolID] = .with { $0.schoolID = count.schoolID } }
            schools[count.schoolID]!.students += line.students
            schools[count.schoolID]!.visited += line.visited
            reply.total.students += line.students
            reply.total.visited += line.visited
        }
        reply.schools = order.map { schools[$0]! }
        return reply
    }

    @Sendable func unvisited(_ request: Xinyu_Homeschool_V1_ListUnvisitedRequest, _ context: CallContext) async throws -> Xinyu_Homeschool_V1_ListUnvisitedResponse {
        guard !request.classID.isEmpty else { throw RPCError.invalidField("class_id", "is required") }
        let year = try year(request.schoolYear, context)
        return try await context.store.read { db in
            guard let schoolClass = try context.directory.schoolClass(request.classID, in: db) else {
                throw RPCError(.notFound, "class \(request.classID) not found")
            }
            try context.requireScope(ScopeTarget(schoolID: schoolClass.schoolID, classID: schoolClass.id), what: "class \(schoolClass.id)", hideExistence: true, in: db)
            let roster = try context.directory.studentIDs(inClass: schoolClass.id, in: db)
            let visited = Set(try String.fetchAll(db, sql: """
                SELECT DISTINCT student_id FROM homeschool_visits WHERE school_year = ? AND status = ? AND student_id IN (SELECT value FROM json_each(?))
                """, arguments: [year, VisitStatus.done.requiredStoredText, JSONArgument.strings(roster)]))
            var reply = Xinyu_Homeschool_V1_ListUnvisitedResponse()
            reply.schoolYear = Int32(year)
            reply.studentIds = roster.filter { !visited.contains($0) }
            context.touched(subjects: reply.studentIds)
            return reply
        }
    }
}
