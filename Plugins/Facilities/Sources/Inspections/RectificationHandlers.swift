import GRDB
import XinyuFacilitiesAPI
import XinyuPluginSDK

/// ListRectifications: open and closed rectification tasks (整改) per school or across the
/// caller's scope (the city), or only the overdue ones (open past their deadline).
struct RectificationHandlers: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.unary("ListRectifications", permission: FacilitiesPermissions.read, handler: list)
    }

    @Sendable func list(_ request: Xinyu_Facilities_V1_ListRectificationsRequest, _ context: CallContext) async throws -> Xinyu_Facilities_V1_ListRectificationsResponse {
        let today = context.today
        return try await context.store.read { db in
            if !request.schoolID.isEmpty { _ = try SchoolAccess.visible(db, id: request.schoolID, context: context) }
            let scope = context.scopeFilter(ScopeColumns(school: "t.school_id"))
            var sql = "SELECT t.* FROM facilities_rectifications t WHERE \(scope.sql)"
            var arguments = scope.arguments
            if !request.schoolID.isEmpty {
                sql += " AND t.school_id = ?"
                arguments += [request.schoolID]
            }
            if request.overdueOnly {
                sql += " AND t.status = ? AND t.deadline < ?"
                arguments += [RectificationStatus.open.requiredStoredText, today.description]
            }
            var reply = Xinyu_Facilities_V1_ListRectificationsResponse()
            reply.tasks = try RectificationRecord.fetchAll(db, sql: sql + " ORDER BY t.deadline, t.id LIMIT 1000", arguments: arguments)
                .map { $0.message(today: today) }
            return reply
        }
    }
}
