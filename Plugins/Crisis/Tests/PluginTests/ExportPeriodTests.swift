import Foundation
import Testing
import XinyuCrisisAPI
import XinyuDirectory
import XinyuPluginSDK

/// The provincial export as of a date (issue 12 §5): `from`/`to` honoured, the national student
/// number from the directory, gender as docs/CRISIS-EXPORT.md says.
@Suite("Provincial export for a period, national student numbers")
struct ExportPeriodTests {
    /// JSON rows of an export for `from`…`to`, by student id.
    static func export(_ h: CrisisHarness, _ from: String, _ to: String) async throws -> [String: [String: Any]] {
        let reply = try await h.call("ExportWarnings", Xinyu_Crisis_V1_ExportWarningsRequest.with { $0.from = from; $0.to = to; $0.format = .json },
                                     as: Xinyu_Crisis_V1_ExportWarningsResponse.self)
        #expect(reply.code == .ok, "\(reply.message)")
        let object = try #require(try JSONSerialization.jsonObject(with: reply.value.content) as? [String: Any])
        #expect(object["format"] as? String == "xinyu.crisis.provincial-export/2")
        let rows = try #require(object["rows"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["student_id"] as! String, $0) })
    }

    @Test("levels as they stood on `to`, moves within the period, students removed within it")
    func asOfDate() async throws {
        let h = try CrisisHarness()
        // 2024-10-08: S1 to level 1 by screening, S2 to level 2 by a psych teacher.
        try await h.submit(phqA("S1", [1, 1, 1, 1, 1, 1, 1, 1, 2]))
        _ = try await h.call("SetWarningLevel", Xinyu_Crisis_V1_SetWarningLevelRequest.with { $0.studentID = "S2"; $0.level = 2; $0.reason = "访谈评估" },
                             as: Xinyu_Crisis_V1_WarningLevel.self)
        // 2024-11-07: S1 lowered to 3; S2 removed from the database with approval.
        h.clock.advance(by: .seconds(30 * 86400))
        _ = try await h.call("SetWarningLevel", Xinyu_Crisis_V1_SetWarningLevelRequest.with { $0.studentID = "S1"; $0.level = 3; $0.reason = "复评好转" },
                             as: Xinyu_Crisis_V1_WarningLevel.self)
        let opened = try await h.call("OpenCase", Xinyu_Crisis_V1_OpenCaseRequest.with { $0.studentID = "S2"; $0.reason = "二级预警" }, as: Xinyu_Crisis_V1_Case.self).value
        let removal = try await h.call("RequestApproval", Xinyu_Crisis_V1_RequestApprovalRequest.with {
            $0.caseID = opened.id; $0.subject = .removal; $0.reason = "连续两次复评正常"
        }, as: Xinyu_Crisis_V1_Approval.self).value
        #expect(try await h.call("DecideApproval", Xinyu_Crisis_V1_DecideApprovalRequest.with { $0.approvalID = removal.id; $0.approve = true },
                                 as: Xinyu_Crisis_V1_Approval.self, principal: supervisor).code == .ok)

        let october = try await Self.export(h, "2024-09-01", "2024-10-31")
        #expect(october["S1"]?["level"] as? Int == 1 && october["S1"]?["change"] as? String == "new" && october["S1"]?["since"] as? String == "2024-10-08")
        #expect((october["S1"]?["reason"] as? String)?.contains("PHQ-A") == true, "the reason as it stood then")
        #expect(october["S2"]?["level"] as? Int == 2 && october["S2"]?["change"] as? String == "new")

        let november = try await Self.export(h, "2024-11-01", "2024-11-30")
        #expect(november["S1"]?["level"] as? Int == 3 && november["S1"]?["change"] as? String == "lowered" && november["S1"]?["since"] as? String == "2024-11-07")
        #expect(november["S2"]?["level"] as? Int == 0 && november["S2"]?["change"] as? String == "removed" && november["S2"]?["since"] as? String == "2024-11-07")

        let december = try await Self.export(h, "2024-12-01", "2024-12-31")
        #expect(december["S1"]?["level"] as? Int == 3 && december["S1"]?["change"] as? String == "none")
        #expect(december["S2"] == nil, "removed before the period")
        #expect(try await Self.export(h, "2024-01-01", "2024-09-30").isEmpty, "nothing was warned before 2024-10-08")
    }

    @Test("gender 男/女 and the directory's national student number; the cross-check falls back to name + birth date without it")
    func nationalNumberAndGender() async throws {
        let h = try CrisisHarness()
        try h.database.writeSync { db in
            try DirectorySeed.student(db, id: "S5", name: "周杰", gender: "male", birthDate: "2010-05-05", schoolID: "A", classID: "C1",
                                      nationalStudentID: "G330203201005050011")
        }
        try await h.submit(phqA("S1", [1, 1, 1, 1, 1, 1, 1, 1, 2]))
        try await h.submit(phqA("S2", [1, 1, 1, 1, 1, 1, 1, 1, 2]))
        try await h.submit(phqA("S5", [1, 1, 1, 1, 1, 1, 1, 1, 2]))
        let rows = try await Self.export(h, "2024-10-01", "2024-10-31")
        #expect(rows["S1"]?["gender"] as? String == "男" && rows["S2"]?["gender"] as? String == "女")
        #expect(rows["S5"]?["national_student_id"] as? String == "G330203201005050011")
        #expect(rows["S1"]?["national_student_id"] as? String == "", "not the city's id in its place")

        // S5 by national number (the health file spells the name differently), S1 by name +
        // birth date (no national number in the directory), S2's birth date differs: not matched.
        let health = """
            学籍号,姓名,出生日期,诊断类别
            G330203201005050011,周 杰,2010-05-05,抑郁
            ,张伟,2010-04-23,焦虑
            ,李娜,2010-02-12,焦虑

            """
        let report = try await h.call("CrossCheck", Xinyu_Crisis_V1_CrossCheckRequest.with {
            $0.healthFile = Data(health.utf8); $0.from = "2024-10-01"; $0.to = "2024-10-31"
        }, as: Xinyu_Crisis_V1_CrossCheckResponse.self)
        #expect(report.code == .ok, "\(report.message)")
        #expect(Set(report.value.matched.map(\.studentID)) == ["S1", "S5"])
        #expect(report.value.matched.first { $0.studentID == "S5" }?.nationalStudentID == "G330203201005050011")
        #expect(report.value.warningOnly.map(\.studentID) == ["S2"] && report.value.healthOnly.map(\.name) == ["李娜"])
        #expect(report.value.summary.contains("1 by name + birth date"), "\(report.value.summary)")
    }
}
