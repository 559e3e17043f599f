import GRDB
import XinyuHomeschoolAPI
import XinyuPluginSDK

/// ListSpecialVisits: the special visits owed, done or refused, and the overdue ones.
struct SpecialVisitHandlers: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.unary("ListSpecialVisits", permission: HomeschoolPermissions.read, handler: list)
    }

    @Sendable func list(_ request: Xinyu_Homeschool_V1_ListSpecialVisitsRequest, _ context: CallContext) async throws -> Xinyu_Homeschool_V1_ListSpecialVisitsResponse {
        let page = PageRequest(list: "homeschool.special-visits", filters: [request.studentID, request.schoolID, request.overdueOnly ? "overdue" : ""],
                               size: PageRequest.clampedSize(request.limit, default: 100, maximum: 500), token: request.pageToken)
        return try await context.store.read { db in
            var q = KeysetQuery(select: "t.*", from: "homeschool_special_visits t", orderBy: [.init("t.id", as: "id")])
            let scope = context.scopeFilter(ScopeColumns(school: "t.school_id", class: "t.class_id", student: "t.student_id"))
            q.filter(scope.sql, arguments: scope.arguments)
            if !request.studentID.isEmpty { q.filter("t.student_id = ?", [request.studentID]) }
            if !request.schoolID.isEmpty { q.filter("t.school_id = ?", [request.schoolID]) }
            if request.overdueOnly {
                q.filter("t.status = ? AND t.due_on < ?", [SpecialVisitStatus.open.requiredStoredText, context.today.description])
            }
            let found = try q.page(db, page, as: SpecialVisitRecord.self)
            var reply = Xinyu_Homeschool_V1_ListSpecialVisitsResponse()
            reply.specialVisits = found.items.map(\.message)
            reply.nextPageToken = found.nextPageToken
            context.touched(subjects: Array(Set(found.items.map(\.studentID))).sorted())
            return reply
        }
    }
}
