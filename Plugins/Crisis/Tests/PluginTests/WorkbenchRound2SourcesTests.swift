import Foundation
import GRDB
import Testing
@testable import XinyuCrisis
import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// The workbench gathers the work round 2 added: "needs a case" items, safety reviews, and a
/// removal requested for a student who never had a case.
@Suite("Workbench: needs-a-case items, safety reviews and removals without a case")
struct WorkbenchRound2SourcesTests {
    /// The school's psych teacher (a city-wide caller owes only the city's list).
    func work(_ h: CrisisHarness, _ principal: Principal = WorkbenchTests.schoolPsych) async throws -> [Xinyu_Crisis_V1_WorkItem] {
        let reply = try await h.call("ListMyWork", Xinyu_Crisis_V1_ListMyWorkRequest(), as: Xinyu_Crisis_V1_ListMyWorkResponse.self, principal: principal)
        #expect(reply.code == .ok, "\(reply.message)")
        return reply.value.items
    }

    @Test("a needs-a-case item is a case to assign, due at the deadline counted from detection")
    func needsCase() async throws {
        var configuration = CrisisConfiguration.default
        configuration.detection.creates = .needsCase
        let h = try CrisisHarness(configuration: configuration)
        let detected = h.nowMs
        try await h.submit(phqA("S1", item9Answers, extras: answeredExtras))
        let items = try await work(h).filter { $0.kind == .caseToAssign }
        #expect(items.count == 1)
        #expect(items.first?.studentID == "S1" && items.first?.refID.hasPrefix("need-") == true && items.first?.dueAtMs == detected + 3_600_000)
        _ = try await h.call("OpenCase", Xinyu_Crisis_V1_OpenCaseRequest.with { $0.studentID = "S1"; $0.reason = "建档" }, as: Xinyu_Crisis_V1_Case.self)
        let after = try await work(h).filter { $0.kind == .caseToAssign }
        #expect(after.map { $0.refID }.allSatisfy { !$0.hasPrefix("need-") } && after.count == 1, "the item became the case")
    }

    @Test("a safety review owed is a review due within a day, gone once recorded")
    func safetyReview() async throws {
        let h = try CrisisHarness()
        try await h.submit(phqA("S2", [0, 0, 1, 0, 0, 0, 0, 0, nil9], extras: answeredExtras))
        let owed = try #require(try await work(h).first { $0.refID.hasPrefix("safety-") })
        #expect(owed.kind == .reviewDue && owed.studentID == "S2" && owed.dueAtMs == h.nowMs + 24 * 3_600_000)
        let id = String(owed.refID.dropFirst("safety-".count))
        let done = try await h.call("RecordSafetyReview", Xinyu_Crisis_V1_RecordSafetyReviewRequest.with { $0.reviewID = id; $0.summary = "面谈" },
                                    as: Xinyu_Crisis_V1_SafetyReview.self)
        #expect(done.code == .ok, "\(done.message)")
        #expect(try await work(h).contains { $0.refID.hasPrefix("safety-") } == false)
    }

    @Test("a removal requested for a student who never had a case is on the supervisor's workbench")
    func removalWithoutCase() async throws {
        let h = try CrisisHarness()
        try await h.submit(phqA("S2", [2, 2, 2, 2, 1, 1, 0, 0, 0], extras: answeredExtras))   // level 3, no case
        let requested = try await h.call("RequestApproval", Xinyu_Crisis_V1_RequestApprovalRequest.with {
            $0.subject = .removal; $0.studentID = "S2"; $0.reason = "复评正常"
        }, as: Xinyu_Crisis_V1_Approval.self)
        #expect(requested.code == .ok, "\(requested.message)")
        let approvals = try await work(h, supervisor).filter { $0.kind == .approvalToDecide }
        #expect(approvals.map(\.refID) == [requested.value.id])
        #expect(approvals.first?.studentID == "S2" && approvals.first?.level == 3)
    }

    @Test("a removal for a student who never had a case is in the student's archive")
    func removalWithoutCaseInArchive() async throws {
        let h = try CrisisHarness()
        try await h.submit(phqA("S2", [2, 2, 2, 2, 1, 1, 0, 0, 0], extras: answeredExtras))   // level 3, no case
        let requested = try await h.call("RequestApproval", Xinyu_Crisis_V1_RequestApprovalRequest.with {
            $0.subject = .removal; $0.studentID = "S2"; $0.reason = "复评正常"
        }, as: Xinyu_Crisis_V1_Approval.self)
        #expect(requested.code == .ok, "\(requested.message)")
        let archive = try await h.call("GetArchive", Xinyu_Crisis_V1_GetArchiveRequest.with { $0.studentID = "S2" },
                                       as: Xinyu_Crisis_V1_GetArchiveResponse.self)
        let removal = archive.value.entries.filter { $0.kind == "removal" }
        #expect(removal.map(\.summary) == ["removal pending"] && removal.map(\.ref) == ["approval:\(requested.value.id)"], "\(archive.value.entries)")
    }
}

/// The workbench's one query that used to scan the city (W-work in the benchmark).
@Suite("Workbench: follow-ups due, the query plan")
struct FollowUpsDuePlanTests {
    func plan(_ h: CrisisHarness, cityWide: Bool) throws -> [String] {
        let scope = ScopeFilter(scopes: cityWide ? [DataScope(kind: DataScope.Kind.city, ids: [])] : WorkbenchTests.schoolPsych.scopes, columns: .currentPlacement(ofStudent: "f.student_id"))
        let sql = FollowUpsDueSource.sql(scope: scope.sql, cityWide: cityWide)
        return try h.database.readSync { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: ["2026-01-01"] + scope.arguments + ["open", "P001"]).map { $0["detail"] as String }
        }
    }

    @Test("a school's follow-ups are found from its students, not by scanning every due follow-up in the city")
    func schoolScopeDrivenByStudents() throws {
        let h = try CrisisHarness()
        let school = try plan(h, cityWide: false)
        #expect(school.contains { $0.contains("crisis_follow_ups_by_student") }, "\(school)")
        #expect(!school.contains { $0.contains("crisis_follow_ups_due") }, "\(school)")
        let city = try plan(h, cityWide: true)
        #expect(city.contains { $0.contains("crisis_follow_ups_due") }, "\(city)")
    }
}
