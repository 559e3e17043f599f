import Foundation
import Testing
import XinyuCrisisAPI
import XinyuPluginSDK

/// Issue 12 §6: safety beats completeness.
@Suite("Safety beats completeness")
struct SafetyTests {
    func reviews(_ h: CrisisHarness, includeDone: Bool = false) async throws -> [Xinyu_Crisis_V1_SafetyReview] {
        try await h.call("ListSafetyReviews", Xinyu_Crisis_V1_ListSafetyReviewsRequest.with { $0.includeDone = includeDone },
                         as: Xinyu_Crisis_V1_ListSafetyReviewsResponse.self).value.reviews
    }

    @Test("a PHQ-A with its suicide questions unanswered asks a psych teacher for a review within a day")
    func extrasUnanswered() async throws {
        let h = try CrisisHarness()
        let submitted = try await h.submit(phqA("S2", [0, 0, 1, 0, 0, 0, 0, 0, 0]))
        #expect(submitted.code == .ok && submitted.value.level.level == 0)
        #expect(submitted.value.result.flags.contains("safety_unanswered") && submitted.value.result.flags.contains("past_attempt_unanswered"))
        let owed = try #require(try await reviews(h).first)
        #expect(owed.studentID == "S2" && owed.status == "open" && owed.dueAtMs == h.nowMs + 24 * 3_600_000 && !owed.overdue)
        #expect(owed.flags.contains("suicidal_thoughts_past_month_unanswered") && owed.reason.contains("review within 24 hours"))

        // A second unanswered result adds to the open review, never a second one.
        try await h.submit(phqA("S2", [0, 0, 1, 0, 0, 0, 0, 0, nil9]))
        #expect(try h.count("crisis_safety_reviews") == 1)
        #expect(try await reviews(h).first?.flags.contains("item9_unanswered") == true)

        h.clock.advance(by: .seconds(25 * 3600))
        #expect(try await reviews(h).first?.overdue == true)
        let done = try await h.call("RecordSafetyReview", Xinyu_Crisis_V1_RecordSafetyReviewRequest.with { $0.reviewID = owed.id; $0.summary = "面谈：否认自伤念头" },
                                    as: Xinyu_Crisis_V1_SafetyReview.self)
        #expect(done.code == .ok && done.value.status == "done" && done.value.doneBy == "staff:P001")
        #expect(try await reviews(h).isEmpty)
        #expect(try await reviews(h, includeDone: true).count == 1)
        let twice = try await h.call("RecordSafetyReview", Xinyu_Crisis_V1_RecordSafetyReviewRequest.with { $0.reviewID = owed.id; $0.summary = "x" },
                                     as: Xinyu_Crisis_V1_SafetyReview.self)
        #expect(twice.code == .failedPrecondition)
    }

    @Test("answered safety questions ask for no review; a class teacher of another class sees none")
    func answered() async throws {
        let h = try CrisisHarness()
        try await h.submit(phqA("S3", [0, 0, 1, 0, 0, 0, 0, 0, 0], extras: answeredExtras))
        #expect(try h.count("crisis_safety_reviews") == 0)
        try await h.submit(phqA("S3", [0, 0, 1, 0, 0, 0, 0, 0, nil9], extras: answeredExtras))
        #expect(try h.count("crisis_safety_reviews") == 1, "item 9 left unanswered")
        let teacher = try await h.call("ListSafetyReviews", Xinyu_Crisis_V1_ListSafetyReviewsRequest(), as: Xinyu_Crisis_V1_ListSafetyReviewsResponse.self,
                                       principal: classTeacher)
        #expect(teacher.code == .ok && teacher.value.reviews.isEmpty, "S3 is in class C2")
    }

    @Test("a C-SSRS with Q4 yes and other items missing is stored as high risk, level 1, never refused",
          arguments: [
            ([-1, -1, -1, 1, -1, -1] as [Int32], [String: Bool]()),
            ([0, 0, -1, -1, 1, 0] as [Int32], [String: Bool]()),
            ([-1, 1, -1, -1, -1, 1] as [Int32], [String: Bool]()),
            ([1, 1, 0, 0, 0, 1] as [Int32], ["q6_within_3_months": true]),
          ])
    func cssrsHighRisk(answers: [Int32], extras: [String: Bool]) async throws {
        let h = try CrisisHarness()
        var submission = Xinyu_Crisis_V1_ScreeningSubmission()
        submission.studentID = "S1"
        submission.instrumentID = "c-ssrs-screener"
        submission.answers = answers
        submission.extras = extras
        let reply = try await h.submit(submission)
        #expect(reply.code == .ok, "\(reply.message)")
        #expect(reply.value.result.band == "high" && reply.value.result.flags.contains("imminent"))
        #expect(reply.value.level.level == 1)
        #expect(try h.count("crisis_cases") == 1)
    }

    @Test("a C-SSRS without any high-risk answer and with Q1 missing is still refused, naming the item")
    func cssrsIncompleteLowRisk() async throws {
        let h = try CrisisHarness()
        var submission = Xinyu_Crisis_V1_ScreeningSubmission()
        submission.studentID = "S1"
        submission.instrumentID = "c-ssrs-screener"
        submission.answers = [-1, 0, -1, -1, -1, 0]
        let reply = try await h.submit(submission)
        #expect(reply.code == .invalidArgument && reply.message.contains("submission.answers[0]"), "\(reply.message)")
    }

    @Test("importing a round twice skips the duplicates and says so; a duplicate line in one file is skipped too")
    func duplicateRound() async throws {
        let h = try CrisisHarness()
        let csv = "学籍号,q1,q2,q3,q4,q5,q6,q7,q8,q9,suicidal_thoughts_past_month,past_attempt\nS1,0,0,0,0,0,0,0,0,0,否,否\nS2,1,0,0,0,0,0,0,0,0,否,否\nS1,3,3,3,3,3,3,3,3,3,否,否\n"
        let first = try await h.importRound(csv).value.report
        #expect(first.imported == 2 && first.duplicatesSkipped == 1 && first.duplicateLines == [4] && first.duplicateRule == "skip")
        let dry = try await h.importRound(csv, dryRun: true).value.report
        #expect(dry.nothingChanged && dry.duplicatesSkipped == 3)
        let second = try await h.importRound(csv).value.report
        #expect(second.imported == 0 && second.duplicatesSkipped == 3 && second.duplicateLines == [2, 3, 4] && second.nothingChanged)
        #expect(try h.count("crisis_screening_results") == 2)
        let otherRound = try await h.importRound(csv, round: "2025-spring").value.report
        #expect(otherRound.imported == 2, "another round is not a duplicate")
    }

    @Test("a batch whose submissions carry a round skips what the round already holds, by the same rule; no round, no skipping")
    func duplicateRoundInBatch() async throws {
        let h = try CrisisHarness()
        func batch(_ submissions: [Xinyu_Crisis_V1_ScreeningSubmission]) async throws -> Xinyu_Crisis_V1_SubmitScreeningBatchResponse {
            let reply = try await h.call("SubmitScreeningBatch", Xinyu_Crisis_V1_SubmitScreeningBatchRequest.with { $0.submissions = submissions },
                                         as: Xinyu_Crisis_V1_SubmitScreeningBatchResponse.self)
            #expect(reply.code == .ok, "\(reply.message)")
            return reply.value
        }
        let low: [Int32] = [0, 0, 0, 0, 0, 0, 0, 0, 0]
        let first = try await batch([phqA("S1", low, extras: answeredExtras, round: "2026-autumn"),
                                     phqA("S2", low, extras: answeredExtras, round: "2026-autumn"),
                                     phqA("S1", low, extras: answeredExtras, round: "2026-autumn")])
        #expect(first.accepted == 2 && first.duplicatesSkipped == 1 && first.duplicateLines == [3])
        let again = try await batch([phqA("S2", low, extras: answeredExtras, round: "2026-autumn"),
                                     phqA("S2", low, extras: answeredExtras, round: "2027-spring"),
                                     phqA("S2", low, extras: answeredExtras),
                                     phqA("S2", low, extras: answeredExtras)])
        #expect(again.accepted == 3 && again.duplicatesSkipped == 1 && again.duplicateLines == [1], "\(again)")
        #expect(try h.count("crisis_screening_results") == 5)
    }
}

/// An unanswered item in a request (-1).
let nil9: Int32 = -1
