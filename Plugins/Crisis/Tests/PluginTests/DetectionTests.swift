import Foundation
import GRDB
import Testing
import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// Issue 12 §1: detection starts the clock.
@Suite("Detection starts the clock")
struct DetectionTests {
    @Test("a screening at level 1 opens the case at once, due within the hour, with its timer; OpenCase takes it up")
    func screeningOpensCase() async throws {
        let h = try CrisisHarness()
        let start = h.nowMs
        let submitted = try await h.submit(phqA("S1", item9Answers, extras: answeredExtras))
        #expect(submitted.code == .ok && submitted.value.level.level == 1)
        let cases = try await h.openCases()
        let opened = try #require(cases.first)
        #expect(cases.count == 1 && opened.studentID == "S1" && opened.origin == "detection" && opened.level == 1)
        #expect(opened.detectedAtMs == start && opened.assignDueAtMs == start + 60 * 60_000 && opened.tier == .school)
        #expect(try h.pendingTimers(prefix: "case-\(opened.id)-assignment") == 1)
        #expect(try h.topics().filter { $0 == "crisis.case.opened" }.count == 1)

        // Half an hour later a psych teacher "opens" the case: the deadline still runs from detection.
        h.clock.advance(by: .seconds(30 * 60))
        let takenUp = try await h.call("OpenCase", Xinyu_Crisis_V1_OpenCaseRequest.with { $0.studentID = "S1"; $0.reason = "普测一级预警" },
                                       as: Xinyu_Crisis_V1_Case.self)
        #expect(takenUp.code == .ok && takenUp.value.id == opened.id && takenUp.value.assignDueAtMs == start + 60 * 60_000)
        let again = try await h.call("OpenCase", Xinyu_Crisis_V1_OpenCaseRequest.with { $0.studentID = "S1"; $0.reason = "再开" },
                                     as: Xinyu_Crisis_V1_Case.self)
        #expect(again.code == .alreadyExists, "\(again.message)")
        let detail = try await h.call("GetCase", Xinyu_Crisis_V1_GetCaseRequest.with { $0.caseID = opened.id }, as: Xinyu_Crisis_V1_CaseDetail.self)
        #expect(detail.value.events.map(\.kind) == ["opened", "taken_up"])

        // Unassigned past the hour from detection, it escalates.
        h.clock.advance(by: .seconds(31 * 60))
        try await h.dispatcher.fireDueTimers()
        #expect(try await h.openCases().first?.tier == .city)
    }

    @Test("exactly once: a retry with the same idempotency key and a repeated submission open no second case")
    func exactlyOnce() async throws {
        let h = try CrisisHarness()
        let request = Xinyu_Crisis_V1_SubmitScreeningBatchRequest.with { $0.submissions = [phqA("S1", item9Answers, extras: answeredExtras)] }
        for _ in 0..<2 {
            let reply = try await h.call("SubmitScreeningBatch", request, as: Xinyu_Crisis_V1_SubmitScreeningBatchResponse.self, key: "batch-1")
            #expect(reply.code == .ok && reply.value.accepted == 1)
        }
        #expect(try h.count("crisis_screening_results") == 1, "the retry was replayed, not applied")
        try await h.submit(phqA("S1", item9Answers, extras: answeredExtras))
        #expect(try h.count("crisis_screening_results") == 2)
        #expect(try h.count("crisis_cases") == 1 && (try h.topics().filter { $0 == "crisis.case.opened" }.count) == 1)
    }

    @Test("an import raising 50 students to level 1 makes 50 cases due within the hour, each with a timer")
    func fiftyFromImport() async throws {
        let h = try CrisisHarness()
        let ids = try h.seedStudents(50)
        let csv = "学籍号,q1,q2,q3,q4,q5,q6,q7,q8,q9,suicidal_thoughts_past_month,past_attempt\n"
            + ids.map { "\($0),1,1,1,1,1,1,1,1,1,否,否" }.joined(separator: "\n") + "\n"
        let start = h.nowMs
        let imported = try await h.importRound(csv)
        #expect(imported.code == .ok && imported.value.report.imported == 50 && imported.value.report.levelsChanged == 50, "\(imported.message)")
        let cases = try await h.openCases()
        #expect(Set(cases.map(\.studentID)) == Set(ids))
        #expect(cases.allSatisfy { $0.origin == "detection" && $0.assignDueAtMs <= start + 3_600_000 && $0.ownerID.isEmpty })
        #expect(try h.pendingTimers(prefix: "case-") == 50)
        let owed = try await h.call("ListWarnings", Xinyu_Crisis_V1_ListWarningsRequest.with { $0.noOwner = true; $0.limit = 1000 },
                                    as: Xinyu_Crisis_V1_ListWarningsResponse.self)
        #expect(owed.value.warnings.count == 50)

        // The same round again: nothing duplicated, nothing reopened.
        let again = try await h.importRound(csv)
        #expect(again.value.report.imported == 0 && again.value.report.duplicatesSkipped == 50)
        #expect(try h.count("crisis_cases") == 50 && (try h.count("crisis_screening_results")) == 50)

        h.clock.advance(by: .seconds(61 * 60))
        try await h.dispatcher.fireDueTimers()
        #expect(try await h.openCases().allSatisfy { $0.tier == .city }, "every unassigned level-1 case moved up at its deadline")
    }

    @Test("a manual change to level 2 opens a case due in a day; level 3 opens none")
    func manualChange() async throws {
        let h = try CrisisHarness()
        #expect(try await h.setLevel("S3", 3).code == .ok)
        #expect(try await h.openCases().isEmpty, "level 3 is not owed a case at once")
        #expect(try await h.setLevel("S2", 2).code == .ok)
        let opened = try #require(try await h.openCases().first)
        #expect(opened.studentID == "S2" && opened.origin == "detection" && opened.tier == .class)
        #expect(opened.assignDueAtMs == h.nowMs + 1440 * 60_000)
        #expect(try await h.setLevel("S2", 2, reason: "复评确认").code == .ok)
        #expect(try h.count("crisis_cases") == 1, "a confirmation is no new detection")
    }

    @Test("raising 3 → 1 moves the case's level, assignment deadline and timer, and the review date, to level 1's")
    func levelFollows() async throws {
        let h = try CrisisHarness()
        #expect(try await h.setLevel("S1", 3).code == .ok)
        let manual = try await h.call("OpenCase", Xinyu_Crisis_V1_OpenCaseRequest.with { $0.studentID = "S1"; $0.reason = "三级关注" },
                                      as: Xinyu_Crisis_V1_Case.self).value
        #expect(manual.level == 3 && manual.assignDueAtMs == h.nowMs + 4320 * 60_000)
        h.clock.advance(by: .seconds(2 * 3600))
        let raisedAt = h.nowMs
        let raised = try await h.submit(phqA("S1", item9Answers, extras: answeredExtras))
        #expect(raised.value.level.level == 1)
        #expect(raised.value.level.reviewDue == "2024-10-15", "level 1's weekly review from 2024-10-08")
        let followed = try #require(try await h.openCases().first)
        #expect(followed.id == manual.id && followed.level == 1 && followed.assignDueAtMs == raisedAt + 60 * 60_000)
        let detail = try await h.call("GetCase", Xinyu_Crisis_V1_GetCaseRequest.with { $0.caseID = manual.id }, as: Xinyu_Crisis_V1_CaseDetail.self)
        #expect(detail.value.events.last?.kind == "level_changed" && detail.value.events.last?.reason.contains("3 → 1") == true)
        h.clock.advance(by: .seconds(61 * 60))
        try await h.dispatcher.fireDueTimers()
        #expect(try await h.openCases().first?.tier == .school, "the timer moved with the deadline: escalated after an hour, not three days")
    }

    @Test("with creates = \"needs_case\", detection leaves an item whose deadline the case keeps")
    func needsCaseItem() async throws {
        var configuration = CrisisConfiguration.default
        configuration.detection.creates = .needsCase
        let h = try CrisisHarness(configuration: configuration)
        let detected = h.nowMs
        try await h.submit(phqA("S1", item9Answers, extras: answeredExtras))
        #expect(try await h.openCases().isEmpty)
        #expect(try h.count("crisis_case_needs", "status = 'open' AND due_at_ms = \(detected + 3_600_000)") == 1)
        #expect(try h.pendingTimers(prefix: "case-need-") == 1)
        let waiting = try await h.call("ListWarnings", Xinyu_Crisis_V1_ListWarningsRequest.with { $0.noOpenCase = true },
                                       as: Xinyu_Crisis_V1_ListWarningsResponse.self)
        #expect(waiting.value.warnings.map(\.studentID) == ["S1"])
        h.clock.advance(by: .seconds(20 * 60))
        let opened = try await h.call("OpenCase", Xinyu_Crisis_V1_OpenCaseRequest.with { $0.studentID = "S1"; $0.reason = "建档" },
                                      as: Xinyu_Crisis_V1_Case.self)
        #expect(opened.code == .ok && opened.value.assignDueAtMs == detected + 3_600_000 && opened.value.detectedAtMs == detected)
        #expect(try h.count("crisis_case_needs", "status = 'opened' AND case_id = \(opened.value.id)") == 1)
        #expect(try h.pendingTimers(prefix: "case-need-") == 0)
    }

    @Test("an unhandled needs-a-case item moves up a tier at its deadline")
    func needsCaseEscalates() async throws {
        var configuration = CrisisConfiguration.default
        configuration.detection.creates = .needsCase
        let h = try CrisisHarness(configuration: configuration)
        #expect(try await h.setLevel("S2", 2).code == .ok)
        #expect(try h.count("crisis_case_needs", "tier = 1") == 1)
        h.clock.advance(by: .seconds(1441 * 60))
        try await h.dispatcher.fireDueTimers()
        #expect(try h.count("crisis_case_needs", "tier = 2 AND status = 'open'") == 1)
    }

    @Test("ListWarnings: no open case, no owner")
    func warningFilters() async throws {
        let h = try CrisisHarness()
        try await h.submit(phqA("S1", item9Answers, extras: answeredExtras))           // level 1, case opened, no owner
        #expect(try await h.setLevel("S2", 3).code == .ok)                                // level 3, no case
        #expect(try await h.setLevel("S3", 2).code == .ok)                                // level 2, case opened…
        let s3 = try #require(try await h.openCases().first { $0.studentID == "S3" })
        #expect(try await h.call("AssignCase", Xinyu_Crisis_V1_AssignCaseRequest.with { $0.caseID = s3.id; $0.ownerID = "P001" },
                                 as: Xinyu_Crisis_V1_Case.self).code == .ok)             // …and owned
        func list(_ configure: (inout Xinyu_Crisis_V1_ListWarningsRequest) -> Void) async throws -> [String] {
            var request = Xinyu_Crisis_V1_ListWarningsRequest()
            configure(&request)
            return try await h.call("ListWarnings", request, as: Xinyu_Crisis_V1_ListWarningsResponse.self).value.warnings.map(\.studentID).sorted()
        }
        #expect(try await list { _ in } == ["S1", "S2", "S3"])
        #expect(try await list { $0.noOpenCase = true } == ["S2"])
        #expect(try await list { $0.noOwner = true } == ["S1", "S2"])
        #expect(try await list { $0.noOwner = true; $0.level = 1 } == ["S1"])
    }
}

