import Foundation
import Testing
import XinyuCrisisAPI
import XinyuDirectory
import XinyuPluginSDK

/// Scope follows the student's current place in the directory, not the school and class copied
/// into crisis rows when they were written (issue 12 §4).
@Suite("Transfers: the new school sees the student's records, the old one no longer does")
struct TransferScopeTests {
    static func psychOf(_ school: String) -> Principal {
        Principal(id: "staff:P-\(school)", kind: .person, roles: ["psych_teacher"], permissions: psych.permissions,
                  scopes: [DataScope(kind: "school", ids: [school])])
    }

    @Test("case, plan, level, concerns, follow-ups, lists, statistics and export follow a move from school A to B")
    func transfer() async throws {
        let h = try CrisisHarness()
        let opened = try await h.levelOneCase("S1")
        _ = try await h.call("SavePlan", Xinyu_Crisis_V1_SavePlanRequest.with {
            $0.caseID = opened.id; $0.goals = ["稳定情绪"]; $0.measures = [.with { $0.description_p = "每日关注"; $0.responsibleID = "T001" }]
            $0.followUpStart = "2024-10-09"; $0.followUpIntervalDays = 7; $0.followUpCount = 2
        }, as: Xinyu_Crisis_V1_Plan.self)
        let concern = try await h.call("RaiseConcern", Xinyu_Crisis_V1_RaiseConcernRequest.with { $0.studentID = "S1"; $0.description_p = "独自哭泣" },
                                       as: Xinyu_Crisis_V1_Concern.self).value
        let (a, b) = (Self.psychOf("A"), Self.psychOf("B"))
        let getCase = Xinyu_Crisis_V1_GetCaseRequest.with { $0.caseID = opened.id }
        #expect(try await h.call("GetCase", getCase, as: Xinyu_Crisis_V1_CaseDetail.self, principal: a).code == .ok)
        #expect(try await h.call("GetCase", getCase, as: Xinyu_Crisis_V1_CaseDetail.self, principal: b).code == .notFound)

        // 休学复学 at another school: the directory moves S1 to school B, class C3.
        try h.database.writeSync { db in try DirectorySeed.moveStudent(db, id: "S1", schoolID: "B", classID: "C3") }

        // The old school: every single read answers like a missing record; lists are empty.
        let hidden = try await h.call("GetCase", getCase, as: Xinyu_Crisis_V1_CaseDetail.self, principal: a)
        #expect(hidden.code == .notFound && hidden.message == "case \(opened.id) not found")
        #expect(try await h.call("GetPlan", Xinyu_Crisis_V1_GetPlanRequest.with { $0.caseID = opened.id }, as: Xinyu_Crisis_V1_Plan.self, principal: a).code == .notFound)
        #expect(try await h.call("AcknowledgeConcern", Xinyu_Crisis_V1_AcknowledgeConcernRequest.with { $0.concernID = concern.id },
                                 as: Xinyu_Crisis_V1_Concern.self, principal: a).code == .notFound)
        #expect(try await h.call("ListCases", Xinyu_Crisis_V1_ListCasesRequest(), as: Xinyu_Crisis_V1_ListCasesResponse.self, principal: a).value.cases.isEmpty)
        #expect(try await h.call("ListWarnings", Xinyu_Crisis_V1_ListWarningsRequest(), as: Xinyu_Crisis_V1_ListWarningsResponse.self, principal: a).value.warnings.isEmpty)
        #expect(try await h.call("ListFollowUps", Xinyu_Crisis_V1_ListFollowUpsRequest.with { $0.withinDays = 30 },
                                 as: Xinyu_Crisis_V1_ListFollowUpsResponse.self, principal: a).value.upcoming.isEmpty)
        #expect(try await h.call("ListConcerns", Xinyu_Crisis_V1_ListConcernsRequest(), as: Xinyu_Crisis_V1_ListConcernsResponse.self, principal: a).value.concerns.isEmpty)
        #expect(try await h.call("GetStatistics", Xinyu_Crisis_V1_GetStatisticsRequest(), as: Xinyu_Crisis_V1_Statistics.self, principal: a).value.total.level1 == 0)

        // The new school: the same records, with their history.
        let detail = try await h.call("GetCase", getCase, as: Xinyu_Crisis_V1_CaseDetail.self, principal: b)
        #expect(detail.code == .ok && detail.value.hasPlan_p && detail.value.events.map(\.kind) == ["opened", "taken_up"])
        #expect(try await h.call("ListLevelHistory", Xinyu_Crisis_V1_ListLevelHistoryRequest.with { $0.studentID = "S1" },
                                 as: Xinyu_Crisis_V1_ListLevelHistoryResponse.self, principal: b).value.changes.count == 1)
        #expect(try await h.call("ListCases", Xinyu_Crisis_V1_ListCasesRequest(), as: Xinyu_Crisis_V1_ListCasesResponse.self, principal: b).value.cases.map(\.id) == [opened.id])
        // A city-wide list filtered by school follows the directory too.
        let bList = try await h.call("ListWarnings", Xinyu_Crisis_V1_ListWarningsRequest.with { $0.schoolID = "B" }, as: Xinyu_Crisis_V1_ListWarningsResponse.self)
        #expect(bList.value.warnings.map(\.studentID) == ["S1"])
        #expect(try await h.call("ListWarnings", Xinyu_Crisis_V1_ListWarningsRequest.with { $0.schoolID = "A" }, as: Xinyu_Crisis_V1_ListWarningsResponse.self).value.warnings.isEmpty)
        #expect(try await h.call("ListFollowUps", Xinyu_Crisis_V1_ListFollowUpsRequest.with { $0.withinDays = 30 },
                                 as: Xinyu_Crisis_V1_ListFollowUpsResponse.self, principal: b).value.upcoming.count == 2)
        let stats = try await h.call("GetStatistics", Xinyu_Crisis_V1_GetStatisticsRequest(), as: Xinyu_Crisis_V1_Statistics.self).value
        #expect(stats.schools.map(\.schoolID) == ["B"] && stats.schools[0].level1 == 1 && stats.schools[0].openCases == 1)
        #expect(try await h.call("AcknowledgeConcern", Xinyu_Crisis_V1_AcknowledgeConcernRequest.with { $0.concernID = concern.id },
                                 as: Xinyu_Crisis_V1_Concern.self, principal: b).code == .ok)
        let export = try await h.call("ExportWarnings", Xinyu_Crisis_V1_ExportWarningsRequest.with { $0.from = "2024-10-01"; $0.to = "2024-10-31"; $0.format = .csv; $0.schoolID = "B" },
                                      as: Xinyu_Crisis_V1_ExportWarningsResponse.self, principal: b)
        #expect(export.value.rows == 1 && String(decoding: export.value.content, as: UTF8.self).contains(",B,宁波市第二中学,C3,1,"))
    }
}
