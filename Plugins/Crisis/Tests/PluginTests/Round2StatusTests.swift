import Testing
@testable import XinyuCrisis
import XinyuCrisisAPI
import XinyuPluginSDK

@Suite("Round-2 statuses match their tables' CHECK")
struct Round2StatusTests {
    @Test("each declaration's CHECK is exactly the one the round-2 migrations wrote")
    func checks() throws {
        let harness = try CrisisHarness()
        let checks: [(table: String, clause: String)] = [
            ("crisis_case_needs", CaseNeedStatus.checkClause("status")),
            ("crisis_safety_reviews", SafetyReviewStatus.checkClause("status")),
            ("crisis_plan_revisions", PlanRevisionStatus.checkClause("status")),
            ("crisis_approvals", Xinyu_Crisis_V1_ApprovalSubject.checkClause("subject")),
            ("crisis_approvals", Xinyu_Crisis_V1_ApprovalStatus.checkClause("status")),
        ]
        for check in checks {
            let sql = try createSQL(harness.database, check.table)
            #expect(sql.contains(check.clause), "\(check.table) does not contain \(check.clause)")
        }
    }
}
