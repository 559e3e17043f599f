import GRDB
import Testing
@testable import XinyuCrisis
import XinyuCrisisAPI
import XinyuDirectory
import XinyuPluginSDK
import XinyuStore

/// The SQL of `table` as the shipped migrations created it.
func createSQL(_ database: SharedDatabase, _ table: String) throws -> String {
    try database.readSync { db in try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [table]) ?? "" }
}

@Suite("Crisis statuses: one declaration gives the proto value, the stored text and the CHECK")
struct CrisisStatusTests {
    @Test("each declaration's CHECK is exactly the one the shipped migration wrote")
    func checksMatchShippedMigrations() throws {
        let harness = try CrisisHarness()
        let checks: [(table: String, clause: String)] = [
            ("crisis_concerns", Xinyu_Crisis_V1_ConcernStatus.checkClause("status")),
            ("crisis_cases", Xinyu_Crisis_V1_CaseStatus.checkClause("status")),
            ("crisis_plans", Xinyu_Crisis_V1_PlanStatus.checkClause("status")),
            ("crisis_approvals", Xinyu_Crisis_V1_ApprovalSubject.checkClause("subject")),
            ("crisis_approvals", Xinyu_Crisis_V1_ApprovalStatus.checkClause("status")),
            ("crisis_leaves", Xinyu_Crisis_V1_LeaveStatus.checkClause("status")),
            ("crisis_follow_ups", FollowUpOrigin.checkClause("origin")),
        ]
        for check in checks {
            let sql = try createSQL(harness.database, check.table)
            #expect(sql.contains(check.clause), "\(check.table) does not contain \(check.clause)")
        }
    }

    @Test("stored text and proto value map both ways; UNSPECIFIED and unknown numbers name the field")
    func mapsBothWays() throws {
        #expect(Xinyu_Crisis_V1_LeaveStatus.returnApplied.storedText == "return_applied")
        #expect(Xinyu_Crisis_V1_LeaveStatus(storedText: "return_applied") == .returnApplied)
        #expect(Xinyu_Crisis_V1_PlanStatus.unspecified.storedText == nil)
        #expect(try Xinyu_Crisis_V1_CaseStatus.storedText(of: .closed, field: "status") == "closed")
        #expect(throws: RPCError.invalidField("status", "is required (open, closed)")) {
            try Xinyu_Crisis_V1_CaseStatus.storedText(of: .unspecified, field: "status")
        }
        #expect(throws: RPCError.invalidField("status", "7 is not a case status (open, closed)")) {
            try Xinyu_Crisis_V1_CaseStatus.storedText(of: .UNRECOGNIZED(7), field: "status")
        }
        #expect(ReferralStatus(storedText: "in_treatment") == .inTreatment)
        #expect(throws: RPCError.invalidField("status", "\"lost\" is not one of requested, accepted, in_treatment, completed, declined, appointment_booked, revoked, withdrawn")) {
            try ReferralStatus.fromRequest("lost", field: "status")
        }
    }
}
