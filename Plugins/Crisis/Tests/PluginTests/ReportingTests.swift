import Foundation
import Testing
import XinyuCrisisAPI
import XinyuPluginSDK
import XinyuWire

@Suite("Provincial export and cross-check")
struct ReportingTests {
    @Test("export CSV and JSON of the warning database, and cross-check with a health file")
    func exportAndCrossCheck() async throws {
        let h = try CrisisHarness()
        try await h.submit(phqA("S1", [0, 0, 0, 0, 0, 0, 0, 0, 2]))
        try await h.submit(phqA("S4", [2, 2, 2, 2, 2, 2, 2, 2, 0]))
        var request = Xinyu_Crisis_V1_ExportWarningsRequest()
        request.from = "2024-09-01"
        request.to = "2024-12-31"
        request.format = .csv
        let csv = try await h.call("ExportWarnings", request, as: Xinyu_Crisis_V1_ExportWarningsResponse.self)
        #expect(csv.code == .ok, "\(csv.message)")
        #expect(csv.value.rows == 2)
        let text = String(decoding: csv.value.content, as: UTF8.self)
        #expect(text.contains("张伟") && text.contains("刘洋"), "Chinese names round-trip")
        request.format = .json
        request.schoolID = "A"
        let json = try await h.call("ExportWarnings", request, as: Xinyu_Crisis_V1_ExportWarningsResponse.self)
        #expect(json.value.rows == 1 && json.value.contentType == "application/json")

        let health = """
            学籍号,姓名,出生日期,诊断类别
            S1,张伟,2010-04-23,抑郁
            X9,陈晨,2010-01-01,焦虑

            """
        var check = Xinyu_Crisis_V1_CrossCheckRequest()
        check.healthFile = Data(health.utf8)
        check.from = "2024-09-01"
        check.to = "2024-12-31"
        let report = try await h.call("CrossCheck", check, as: Xinyu_Crisis_V1_CrossCheckResponse.self)
        #expect(report.code == .ok, "\(report.message)")
        #expect(report.value.matched.map(\.studentID) == ["S1"])
        #expect(report.value.healthOnly.map(\.name) == ["陈晨"])
        #expect(report.value.warningOnly.map(\.studentID) == ["S4"])

        check.healthFile = Data("姓名\n张伟\n".utf8)
        let bad = try await h.call("CrossCheck", check, as: Xinyu_Crisis_V1_CrossCheckResponse.self)
        #expect(bad.code == .invalidArgument && bad.message.contains("health_file"))
    }

    @Test("a school-scoped principal exports only their school")
    func exportScope() async throws {
        let h = try CrisisHarness()
        try await h.submit(phqA("S1", [0, 0, 0, 0, 0, 0, 0, 0, 2]))
        try await h.submit(phqA("S4", [0, 0, 0, 0, 0, 0, 0, 0, 2]))
        let schoolB = Principal(id: "staff:B1", kind: .person, permissions: ["crisis.export", "crisis.stats.read"], scopes: [DataScope(kind: "school", ids: ["B"])])
        let reply = try await h.call("ExportWarnings", Xinyu_Crisis_V1_ExportWarningsRequest.with { $0.from = "2024-01-01"; $0.to = "2024-12-31"; $0.format = .json },
                                     as: Xinyu_Crisis_V1_ExportWarningsResponse.self, principal: schoolB)
        #expect(reply.value.rows == 1 && !String(decoding: reply.value.content, as: UTF8.self).contains("张伟"))
        let stats = try await h.call("GetStatistics", Xinyu_Crisis_V1_GetStatisticsRequest(), as: Xinyu_Crisis_V1_Statistics.self, principal: schoolB)
        #expect(stats.value.schools.map(\.schoolID) == ["B"] && stats.value.total.level1 == 1)
    }
}
