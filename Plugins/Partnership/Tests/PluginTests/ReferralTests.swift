import Foundation
import Testing
import XinyuPartnershipAPI
import XinyuPluginSDK
import XinyuWire

@Suite("Referrals: taken over from crisis, worked by the agency, reported back")
struct ReferralTests {
    typealias List = Xinyu_Partnership_V1_ListReferralsResponse

    @Test("a referral without a recorded legal basis is never recorded, so no agency sees it")
    func noBasis() async throws {
        let h = try PartnershipHarness()
        for basis in ["", "verbal", "EMERGENCY"] {
            let status = try await h.deliver(PartnershipHarness.referral("1", basis: basis))
            #expect(status.code == .ok, "acknowledged, not retried forever: \(status.message)")
        }
        #expect(try h.count("partnership_referrals") == 0 && h.count("partnership_referral_changes") == 0)
        let seen = try await h.call("ListReferrals", Xinyu_Partnership_V1_ListReferralsRequest(), as: List.self, principal: kangning)
        #expect(seen.code == .ok && seen.value.referrals.isEmpty)
        try await h.deliver(PartnershipHarness.referral("2", basis: "emergency"))
        let after = try await h.call("ListReferrals", Xinyu_Partnership_V1_ListReferralsRequest(), as: List.self, principal: kangning)
        #expect(after.value.referrals.map(\.id) == ["2"] && after.value.referrals[0].legalBasis == "emergency")
    }

    @Test("the full lifecycle: each step is published for crisis with what the school may know, and only that")
    func lifecycle() async throws {
        let h = try PartnershipHarness()
        try await h.deliver(PartnershipHarness.referral("11"))
        try await h.deliver(PartnershipHarness.referral("11"))  // redelivered: still one referral
        #expect(try h.count("partnership_referrals") == 1)
        let got = try await h.call("GetReferral", Xinyu_Partnership_V1_GetReferralRequest.with { $0.referralID = "11" }, as: Xinyu_Partnership_V1_Referral.self, principal: kangning)
        #expect(got.code == .ok && got.value.studentName == "张伟" && got.value.schoolName == "宁波市第一中学" && got.value.status == .requested)
        #expect(got.value.respondByMs == got.value.requestedAtMs + 240 * 60_000)
        #expect(try await h.update("11", to: .accepted).code == .ok)
        let booked = try await h.update("11", to: .appointmentBooked) { $0.appointment = .with { $0.at = "2024-10-09 14:30"; $0.place = "康宁医院 门诊3楼"; $0.doctor = "李医生" } }
        #expect(booked.code == .ok && booked.value.appointment.doctor == "李医生", "\(booked.message)")
        #expect(try await h.update("11", to: .inTreatment).code == .ok)
        let done = try await h.update("11", to: .completed) { $0.successful = true; $0.outcome = "门诊随访，两周复诊" }
        #expect(done.code == .ok && done.value.status == .completed && done.value.version == 5)
        let updates = try h.updates()
        #expect(updates.map(\.status) == ["accepted", "appointment_booked", "in_treatment", "completed"])
        #expect(updates.allSatisfy { $0.referralID == "11" && $0.agency == "kangning" && $0.studentID == "S1" })
        #expect(updates[1].outcome == "appointment 2024-10-09 14:30 at 康宁医院 门诊3楼" && updates[3].outcome == "successful — 门诊随访，两周复诊")
        #expect(try h.count("xinyu_timers", "owner = 'partnership' AND fired_at_ms IS NULL") == 0, "the response deadline was met")
    }

    @Test("an illegal step is refused naming the allowed ones and changes nothing; a step needs what it records")
    func illegal() async throws {
        let h = try PartnershipHarness()
        try await h.deliver(PartnershipHarness.referral("21"))
        let skip = try await h.update("21", to: .completed) { $0.successful = true }
        #expect(skip.code == .failedPrecondition && skip.message == "referral 21: cannot go from requested to completed; allowed: accepted, declined")
        let school = try await h.update("21", to: .accepted, principal: psychA)
        #expect(school.code == .failedPrecondition && school.message.contains("allowed: revoked, withdrawn"))
        let noReason = try await h.update("21", to: .declined)
        #expect(noReason.code == .invalidArgument && noReason.message.contains("reason_code") && noReason.message.contains("no_capacity"))
        #expect(try h.updates().isEmpty && h.count("partnership_referral_changes") == 1)
        #expect(try await h.update("21", to: .revoked, principal: psychA) { $0.note = "家长已自行就医" }.code == .ok)
        let late = try await h.update("21", to: .accepted)
        #expect(late.code == .failedPrecondition && late.message.contains("final"))
    }

    @Test("agency B cannot see or touch agency A's referral: NOT_FOUND, noted as a scope violation")
    func otherAgency() async throws {
        let h = try PartnershipHarness()
        try await h.deliver(PartnershipHarness.referral("31"))
        let get = try await h.call("GetReferral", Xinyu_Partnership_V1_GetReferralRequest.with { $0.referralID = "31" }, as: Xinyu_Partnership_V1_Referral.self, principal: seventh)
        #expect(get.code == .notFound && get.message == "referral 31 not found")
        let touch = try await h.update("31", to: .accepted, principal: seventh)
        #expect(touch.code == .notFound)
        let list = try await h.call("ListReferrals", Xinyu_Partnership_V1_ListReferralsRequest(), as: List.self, principal: seventh)
        #expect(list.value.referrals.isEmpty)
        let other = try await h.call("ListReferrals", Xinyu_Partnership_V1_ListReferralsRequest(), as: List.self, principal: kangning)
        #expect(other.value.referrals.map(\.id) == ["31"])
    }

    @Test("the diagnosis summary: written by the hospital, read by psych staff and the growth centre only")
    func clinicalSummary() async throws {
        let h = try PartnershipHarness()
        try await h.deliver(PartnershipHarness.referral("41"))
        let add = Xinyu_Partnership_V1_AddClinicalSummaryRequest.with { $0.referralID = "41"; $0.diagnosisSummary = "中度抑郁发作"; $0.returnRecommendations = "可复学，减轻课业" }
        #expect(try await h.call("AddClinicalSummary", add, as: Xinyu_Partnership_V1_ClinicalSummary.self, principal: seventh).code == .notFound)
        #expect(try await h.call("AddClinicalSummary", add, as: Xinyu_Partnership_V1_ClinicalSummary.self, principal: psychA).code == .permissionDenied)
        #expect(try await h.call("AddClinicalSummary", add, as: Xinyu_Partnership_V1_ClinicalSummary.self, principal: kangning).code == .ok)
        let get = Xinyu_Partnership_V1_GetClinicalSummaryRequest.with { $0.referralID = "41" }
        let hospitalRead = try await h.call("GetClinicalSummary", get, as: Xinyu_Partnership_V1_ClinicalSummary.self, principal: kangning)
        #expect(hospitalRead.code == .permissionDenied && hospitalRead.message.contains("partnership.clinical.read"))
        let read = try await h.call("GetClinicalSummary", get, as: Xinyu_Partnership_V1_ClinicalSummary.self, principal: psychA)
        #expect(read.code == .ok && read.value.diagnosisSummary == "中度抑郁发作" && read.value.writtenBy == "agency:kangning")
        let referral = try await h.call("GetReferral", Xinyu_Partnership_V1_GetReferralRequest.with { $0.referralID = "41" }, as: Xinyu_Partnership_V1_Referral.self, principal: kangning)
        #expect(referral.value.hasClinicalSummary_p)
        #expect(try h.updates().allSatisfy { !$0.outcome.contains("抑郁") })
    }

    @Test("an unanswered referral becomes overdue at its deadline (a durable timer) and is listed for the growth centre")
    func overdue() async throws {
        let h = try PartnershipHarness()
        try await h.deliver(PartnershipHarness.referral("51", urgent: true))
        try await h.deliver(PartnershipHarness.referral("52", urgent: false))
        h.clock.advance(by: .seconds(239 * 60))
        #expect(try await h.dispatcher.fireDueTimers() == 0)
        let none = try await h.call("ListOverdueReferrals", Xinyu_Partnership_V1_ListOverdueReferralsRequest(), as: List.self)
        #expect(none.value.referrals.isEmpty)
        h.clock.advance(by: .seconds(2 * 60))
        #expect(try await h.dispatcher.fireDueTimers() == 1)
        let listed = try await h.call("ListOverdueReferrals", Xinyu_Partnership_V1_ListOverdueReferralsRequest(), as: List.self)
        #expect(listed.value.referrals.map(\.id) == ["51"] && listed.value.referrals[0].overdue)
        #expect(try h.count("partnership_referrals", "id = '51' AND overdue = 1") == 1)
        #expect(try h.count("partnership_referral_changes", "referral_id = '51'") == 2, "watchers hear of it")
    }
}
