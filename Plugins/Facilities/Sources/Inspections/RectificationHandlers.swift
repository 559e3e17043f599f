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
        // The day is part of the filters: "overdue" on one day is another list than on the next.
        let page = PageRequest(list: "facilities.rectifications", filters: [request.schoolID, request.overdueOnly ? "overdue \(today)" : "all"],
                               size: PageRequest.clampedSize(request.limit, default: 100, maximum: 500), token: request.pageToken)
        return try await context.store.read { db in
            if !request.schoolID.isEmpty { _ = try SchoolAccess.visible(db, id: request.schoolID, context: context) }
            var q = KeysetQuery(select: "t.*", from: "facilities_rectifications t", orderBy: [.init("t.deadline", as: "deadline"), .init("t.id", as: "id")])
            let scope = context.scopeFilter(ScopeColumns(school: "t.school_id"))
            q.filter(scope.sql, arguments: scope.arguments)
            if !request.schoolID.isEmpty { q.filter("t.school_id = ?", [request.schoolID]) }
            if request.overdueOnly {
                q.filter("t.status = ? AND t.deadline < ?", [RectificationStatus.open.requiredStoredText, today.description])
            }
            let found = try q.page(db, page, as: RectificationRecord.self)
            var reply = Xinyu_Facilities_V1_ListRectificationsResponse()
            reply.tasks = found.items.map { $0.message(today: today) }
            reply.nextPageToken = found.nextPageToken
            return reply
        }
    }
}
