import Foundation
import Testing
import XinyuCrisisAPI
import XinyuPluginSDK
import XinyuWire

@Suite("Screening and the warning policy")
struct ScreeningTests {
    @Test("PHQ-A with item 9 = 2 gives level 1 with the explanation, a history row and a level event")
    func item9GivesLevelOne() async throws {
        let h = try CrisisHarness()
        let reply = try await h.submit(phqA("S1", [0, 0, 0, 0, 0, 0, 0, 0, 2]))
        #expect(reply.code == .ok, "\(reply.message)")
        #expect(reply.value.result.flags.contains("item9_positive"))
        #expect(reply.value.result.instrumentVersion == "2024-1")
        #expect(reply.value.result.answers == [0, 0, 0, 0, 0, 0, 0, 0, 2])
        #expect(reply.value.level.level == 1)
        #expect(reply.value.levelChanged)
        #expect(reply.value.level.explanation.contains("level 1"), "\(reply.value.level.explanation)")
        #expect(reply.value.level.source == .screening)
        #expect(reply.value.level.reviewDue == "2024-10-15", "level 1 is reviewed after 7 days")
        #expect(reply.subjects == ["S1"])
        #expect(try h.topics() == ["crisis.level.changed", "crisis.case.opened"], "level 1 opens the case at once (issue 12 §1)")
        #expect(try h.count("crisis_level_changes") == 1)
    }

    @Test("the policy maps bands to levels; screening never lowers a level", arguments: [
        ([Int32](repeating: 0, count: 9), Int32(0)),                   // minimal: none
        ([2, 2, 2, 2, 2, 2, 2, 2, 0] as [Int32], Int32(2)),            // 16 moderately severe
        ([1, 1, 1, 1, 1, 2, 2, 2, 0] as [Int32], Int32(3)),            // 11 moderate
    ])
    func policyMapping(answers: [Int32], expected: Int32) async throws {
        let h = try CrisisHarness()
        let reply = try await h.submit(phqA("S2", answers))
        #expect(reply.value.level.level == expected, "\(reply.value.result.explanation)")
        let minimal = try await h.submit(phqA("S2", [Int32](repeating: 0, count: 9)))
        #expect(minimal.value.level.level == expected, "a milder result keeps the level")
        #expect(!minimal.value.levelChanged)
    }

    @Test("an answer out of range is INVALID_ARGUMENT naming the answer, and changes nothing")
    func outOfRange() async throws {
        let h = try CrisisHarness()
        let reply = try await h.submit(phqA("S1", [0, 0, 0, 4, 0, 0, 0, 0, 0]))
        #expect(reply.code == .invalidArgument)
        #expect(reply.message.contains("submission.answers[3]") && reply.message.contains("item 4"), "\(reply.message)")
        #expect(try h.count("crisis_screening_results") == 0)
        let unknown = try await h.submit(phqA("S9", [Int32](repeating: 0, count: 9)))
        #expect(unknown.code == .notFound)
    }

    @Test("a student outside the caller's scope is not found, as if absent")
    func scopeHidesStudents() async throws {
        let h = try CrisisHarness()
        try await h.submit(phqA("S3", [0, 0, 0, 0, 0, 0, 0, 0, 1]))
        let teacher = Principal(id: "staff:T001", kind: .person, permissions: ["crisis.level.read"], scopes: [DataScope(kind: "class", ids: ["C1"])])
        let hidden = try await h.call("GetWarningLevel", Xinyu_Crisis_V1_GetWarningLevelRequest.with { $0.studentID = "S3" },
                                      as: Xinyu_Crisis_V1_WarningLevel.self, principal: teacher)
        #expect(hidden.code == .notFound && hidden.message == "student S3 not found")
        let own = try await h.call("GetWarningLevel", Xinyu_Crisis_V1_GetWarningLevelRequest.with { $0.studentID = "S1" },
                                   as: Xinyu_Crisis_V1_WarningLevel.self, principal: teacher)
        #expect(own.code == .ok && own.value.level == 0)
        let list = try await h.call("ListWarnings", Xinyu_Crisis_V1_ListWarningsRequest(), as: Xinyu_Crisis_V1_ListWarningsResponse.self, principal: teacher)
        #expect(list.value.warnings.isEmpty)
    }

    @Test("a batch with bad rows changes nothing and names each bad row by line and item")
    func batchWithBadRows() async throws {
        let h = try CrisisHarness()
        var request = Xinyu_Crisis_V1_SubmitScreeningBatchRequest()
        request.submissions = [
            phqA("S1", [0, 0, 0, 0, 0, 0, 0, 0, 2], round: "2024-autumn"),
            phqA("S2", [0, 0, 5, 0, 0, 0, 0, 0, 0], round: "2024-autumn"),
            phqA("S3", [0, 0, 0, 0, 0, 0, 0], round: "2024-autumn"),
            phqA("NOPE", [Int32](repeating: 0, count: 9), round: "2024-autumn"),
        ]
        let bad = try await h.call("SubmitScreeningBatch", request, as: Xinyu_Crisis_V1_SubmitScreeningBatchResponse.self)
        #expect(bad.code == .ok)
        #expect(bad.value.nothingChanged && bad.value.accepted == 0)
        #expect(bad.value.errors.contains { $0.line == 2 && $0.field == "item 3" }, "\(bad.value.errors)")
        #expect(bad.value.errors.contains { $0.line == 3 && $0.field == "items" }, "\(bad.value.errors)")
        #expect(bad.value.errors.contains { $0.line == 4 && $0.field == "student_id" }, "\(bad.value.errors)")
        #expect(!bad.value.errors.contains { $0.line == 1 })
        #expect(try h.count("crisis_screening_results") == 0 && h.count("crisis_levels") == 0)

        request.skipBadRows = true
        let skipped = try await h.call("SubmitScreeningBatch", request, as: Xinyu_Crisis_V1_SubmitScreeningBatchResponse.self)
        #expect(skipped.value.accepted == 1 && skipped.value.skipped == 3 && skipped.value.levelsChanged == 1)
        #expect(try h.count("crisis_levels", "level = 1") == 1)
    }

    @Test("a round CSV with a bad row imports nothing and reports line and item; the good file imports")
    func importRound() async throws {
        let h = try CrisisHarness()
        let csv = """
            学籍号,q1,q2,q3,q4,q5,q6,q7,q8,q9,suicidal_thoughts_past_month,past_attempt
            S1,0,0,0,0,0,0,0,0,2,否,否
            S2,0,1,x,0,0,0,0,0,0,否,否
            S3,0,0,0,0,0,0,0,0,0,是,否

            """
        var request = Xinyu_Crisis_V1_ImportScreeningRoundRequest()
        request.csv = Data(csv.utf8)
        request.roundID = "2024-autumn"
        request.instrumentID = "phq-a"
        let bad = try await h.call("ImportScreeningRound", request, as: Xinyu_Crisis_V1_ImportScreeningEvent.self)
        #expect(bad.code == .ok, "\(bad.message)")
        #expect(bad.messages.count >= 3, "progress events come before the report")
        let report = bad.value.report
        #expect(report.nothingChanged && report.imported == 0)
        #expect(report.errors.map { "\($0.line) \($0.field)" } == ["3 item 3"], "\(report.errors)")
        #expect(try h.count("crisis_screening_results") == 0)

        request.csv = Data(csv.replacingOccurrences(of: ",x,", with: ",1,").utf8)
        let good = try await h.call("ImportScreeningRound", request, as: Xinyu_Crisis_V1_ImportScreeningEvent.self)
        #expect(good.value.report.imported == 3 && good.value.report.levelsChanged == 2, "\(good.value.report)")
        let stats = try await h.call("GetStatistics", Xinyu_Crisis_V1_GetStatisticsRequest.with { $0.schoolID = "A" }, as: Xinyu_Crisis_V1_Statistics.self)
        #expect(stats.value.rounds.first?.screened == 3 && stats.value.rounds.first?.students == 3)
        #expect(stats.value.total.level1 == 2)
    }
}
