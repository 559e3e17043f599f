import Foundation
import GRDB
import Testing
import XinyuCrisisAPI
import XinyuEventsAPI
import XinyuPluginSDK
import XinyuWire

@Suite("Referrals: the legal basis before data leaves the school, outcomes from the agency")
struct ReferralTests {
    func referral(_ caseID: String, _ configure: (inout Xinyu_Crisis_V1_RequestReferralRequest) -> Void = { _ in }) -> Xinyu_Crisis_V1_RequestReferralRequest {
        var request = Xinyu_Crisis_V1_RequestReferralRequest()
        request.caseID = caseID
        request.agency = "kangning"
        request.reason = "需要精神科评估（绿色通道）"
        request.urgent = true
        configure(&request)
        return request
    }

    @Test("a referral without a recorded legal basis is refused and shares nothing")
    func basisRequired() async throws {
        let h = try CrisisHarness()
        let opened = try await h.levelOneCase()
        let topicsBefore = try h.topics()
        let cases: [((inout Xinyu_Crisis_V1_RequestReferralRequest) -> Void, String)] = [
            ({ _ in }, "field legal_basis"),
            ({ $0.legalBasis = .guardianConsent; $0.consentOn = "2024-10-01"; $0.consentRecord = "form 1" }, "field consent_by"),
            ({ $0.legalBasis = .guardianConsent; $0.consentBy = "母亲 李娜"; $0.consentOn = "2024-13-01"; $0.consentRecord = "form 1" }, "field consent_on"),
            ({ $0.legalBasis = .guardianConsent; $0.consentBy = "母亲 李娜"; $0.consentOn = "2030-01-01"; $0.consentRecord = "form 1" }, "in the future"),
            ({ $0.legalBasis = .guardianConsent; $0.consentBy = "母亲 李娜"; $0.consentOn = "2024-10-01" }, "field consent_record"),
            ({ $0.legalBasis = .emergency }, "field emergency_reason"),
        ]
        for (configure, expected) in cases {
            let refused = try await h.call("RequestReferral", referral(opened.id, configure), as: Xinyu_Crisis_V1_Referral.self)
            #expect(refused.code == .invalidArgument && refused.message.contains(expected), "\(refused.message)")
        }
        #expect(try h.topics() == topicsBefore)
        #expect(try h.database.readSync { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM crisis_referrals") } == 0)
    }

    @Test("with the guardian's consent the referral is recorded and the event carries the basis")
    func withConsent() async throws {
        let h = try CrisisHarness()
        let opened = try await h.levelOneCase()
        let made = try await h.call("RequestReferral", referral(opened.id) {
            $0.legalBasis = .guardianConsent; $0.consentBy = "母亲 李娜"; $0.consentOn = "2024-10-07"; $0.consentRecord = "心理档案 同意书 2024-031"
        }, as: Xinyu_Crisis_V1_Referral.self)
        #expect(made.code == .ok, "\(made.message)")
        #expect(made.value.legalBasis == .guardianConsent && made.value.consentBy == "母亲 李娜" && made.value.consentOn == "2024-10-07")
        #expect(try h.topics().last == "crisis.referral.requested")
        let payload = try h.database.readSync { db in try Data.fetchOne(db, sql: "SELECT payload FROM xinyu_outbox ORDER BY id DESC LIMIT 1") }
        let event = try Xinyu_Events_V1_ReferralRequested(serializedBytes: Array(try #require(payload)))
        #expect(event.legalBasis == "guardian_consent" && event.consentOn == "2024-10-07" && event.agency == "kangning")
    }

    @Test("an emergency referral is allowed with its reason and marked in the audit trail")
    func emergency() async throws {
        let h = try CrisisHarness()
        let opened = try await h.levelOneCase()
        let made = try await h.call("RequestReferral", referral(opened.id) {
            $0.legalBasis = .emergency; $0.emergencyReason = "学生有明确自杀计划，监护人暂时联系不上"
        }, as: Xinyu_Crisis_V1_Referral.self)
        #expect(made.code == .ok, "\(made.message)")
        let note = made.status.trailers.first { $0.key == "xinyu-audit-note" }?.value ?? ""
        #expect(note.contains("emergency"))
    }

    @Test("only the agency the referral was made to records its outcome; others do not see it")
    func agencyOutcome() async throws {
        let h = try CrisisHarness()
        let opened = try await h.levelOneCase()
        let made = try await h.call("RequestReferral", referral(opened.id) {
            $0.legalBasis = .guardianConsent; $0.consentBy = "父亲"; $0.consentOn = "2024-10-08"; $0.consentRecord = "form 7"
        }, as: Xinyu_Crisis_V1_Referral.self)
        let kangning = Principal(id: "agency:kangning", kind: .agency, permissions: ["crisis.referral.outcome"], scopes: [DataScope(kind: "agency", ids: ["kangning"])])
        let police = Principal(id: "agency:police7", kind: .agency, permissions: ["crisis.referral.outcome"], scopes: [DataScope(kind: "agency", ids: ["police7"])])
        var outcome = Xinyu_Crisis_V1_RecordReferralOutcomeRequest()
        outcome.referralID = made.value.id
        outcome.status = "accepted"
        outcome.outcome = "已接诊"
        let other = try await h.call("RecordReferralOutcome", outcome, as: Xinyu_Crisis_V1_Referral.self, principal: police)
        #expect(other.code == .notFound)
        let own = try await h.call("RecordReferralOutcome", outcome, as: Xinyu_Crisis_V1_Referral.self, principal: kangning)
        #expect(own.code == .ok && own.value.status == "accepted", "\(own.message)")
        let detail = try await h.call("GetCase", Xinyu_Crisis_V1_GetCaseRequest.with { $0.caseID = opened.id }, as: Xinyu_Crisis_V1_CaseDetail.self)
        #expect(detail.value.events.contains { $0.kind == "referral_accepted" && $0.actor == "agency:kangning" })
    }
}
