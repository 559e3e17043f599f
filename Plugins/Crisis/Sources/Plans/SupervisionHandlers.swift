import GRDB
import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// ListPendingApprovals (the approvals inbox) and ListPlanRevisions (a plan's history).
struct SupervisionHandlers: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.unary("ListPendingApprovals", permission: CrisisPermissions.planApprove, handler: inbox)
        s.unary("ListPlanRevisions", permission: CrisisPermissions.caseRead, handler: revisions)
    }

    /// Pending approvals the caller may decide: they hold crisis.plan.approve (checked by the
    /// host), the student is within their data scope, and they did not ask for it themselves
    /// (four eyes, as DecideApproval requires). A case-bound approval whose case was closed
    /// meanwhile cannot be decided, so it is left out. Oldest request first.
    @Sendable func inbox(_ request: Xinyu_Crisis_V1_ListPendingApprovalsRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_ListPendingApprovalsResponse {
        let page = PageRequest(list: "crisis.approvals.pending", filters: [request.schoolID],
                               size: PageRequest.clampedSize(request.limit, default: 100, maximum: 500), token: request.pageToken)
        return try await context.store.read { db in
            let scope = context.crisisScope("a")
            var query = KeysetQuery(select: "a.*", from: "crisis_approvals a", orderBy: [
                .init("a.requested_at_ms", as: "requested_at_ms"), .init("a.id", as: "id"),
            ])
            query.filter("a.status = ?", [ApprovalStatus.pending.requiredStoredText])
            query.filter("a.requested_by <> ?", [context.principal.id])
            query.filter("(a.case_id IS NULL OR EXISTS (SELECT 1 FROM crisis_cases c WHERE c.id = a.case_id AND c.status = ?))",
                         [CaseStatus.open.requiredStoredText])
            query.filter(scope.sql, arguments: scope.arguments)
            if !request.schoolID.isEmpty { query.filter("a.school_id = ?", [request.schoolID]) }
            let found = try query.page(db, page, as: ApprovalRecord.self).map(\.message)
            var response = Xinyu_Crisis_V1_ListPendingApprovalsResponse()
            response.approvals = found.items
            response.nextPageToken = found.nextPageToken
            context.touched(subjects: Array(Set(response.approvals.map(\.studentID))).sorted())
            return response
        }
    }

    /// Every version of the case's plan with its fate and what changed. A caller without
    /// crisis.notes.read sees the versions as GetPlan shows the plan: no goals, only the
    /// measures they are responsible for, and the changes within that.
    @Sendable func revisions(_ request: Xinyu_Crisis_V1_ListPlanRevisionsRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_ListPlanRevisionsResponse {
        try await context.store.read { db in
            let row = try CaseStore.visible(db, id: request.caseID, context: context)
            return try PlanRevisionStore.revisions(db, caseID: row["id"], full: context.principal.has(CrisisPermissions.notesRead),
                                                   staffID: context.staffID)
        }
    }
}
