import Foundation
import Testing
import XinyuHomeschoolAPI
import XinyuPluginSDK
import XinyuWire

/// The guardian consent registry: who must consent, checking, withdrawal.
@Suite("Guardian consent")
struct ConsentTests {
    func record(_ h: HomeschoolHarness, _ student: String, guardian: Int64 = 0, sensitive: Bool = false, expires: String = "") async throws -> Reply<Xinyu_Homeschool_V1_Consent> {
        try await h.call("RecordConsent", Xinyu_Homeschool_V1_RecordConsentRequest.with {
            $0.studentID = student; $0.purpose = "referral_treatment"; $0.agency = "kangning"; $0.scope = "筛查结果, 个案摘要"
            $0.sensitive = sensitive; $0.guardianID = guardian; $0.evidenceRef = "知情同意书 2026-12"; $0.expiresOn = expires
        }, as: Xinyu_Homeschool_V1_Consent.self)
    }

    func check(_ h: HomeschoolHarness, _ student: String) async throws -> Xinyu_Homeschool_V1_CheckConsentResponse {
        let r = try await h.call("CheckConsent", Xinyu_Homeschool_V1_CheckConsentRequest.with { $0.studentID = student; $0.purpose = "referral_treatment"; $0.agency = "kangning" },
                                 as: Xinyu_Homeschool_V1_CheckConsentResponse.self)
        #expect(r.code == .ok, "\(r.message)")
        return r.value
    }

    @Test("consent for a student under 14 without a guardian is rejected naming guardian_id, and records nothing")
    func underFourteen() async throws {
        let h = try HomeschoolHarness()
        let r = try await record(h, "S2")
        #expect(r.code == .invalidArgument && r.message.contains("guardian_id") && r.message.contains("under 14"), "\(r.message)")
        #expect(try h.count("homeschool_consents") == 0)
        let sensitive = try await record(h, "S1", sensitive: true)
        #expect(sensitive.code == .invalidArgument && sensitive.message.contains("sensitive"), "\(sensitive.message)")
        let notTheirs = try await record(h, "S2", guardian: try h.guardianID("S1", "母亲"))
        #expect(notTheirs.code == .invalidArgument)
        let ok = try await record(h, "S2", guardian: try h.guardianID("S2", "母亲"), sensitive: true)
        #expect(ok.code == .ok && ok.value.guardianRelation == "母亲", "\(ok.message)")
        let adultEnough = try await record(h, "S1")
        #expect(adultEnough.code == .ok, "16 and not sensitive: the student may consent: \(adultEnough.message)")
    }

    @Test("check says yes while in force, no at once after withdrawal (published), and no after expiry")
    func checkAndWithdraw() async throws {
        let h = try HomeschoolHarness()
        #expect(try await check(h, "S1").reason.contains("no consent"))
        let given = try await record(h, "S1", guardian: try h.guardianID("S1", "父亲"), sensitive: true)
        #expect(try await check(h, "S1").consented)
        let withdrawn = try await h.call("WithdrawConsent", Xinyu_Homeschool_V1_WithdrawConsentRequest.with { $0.consentID = given.value.id; $0.reason = "家长撤回" },
                                         as: Xinyu_Homeschool_V1_Consent.self)
        #expect(withdrawn.code == .ok && withdrawn.value.withdrawnAtMs > 0)
        let after = try await check(h, "S1")
        #expect(!after.consented && after.reason.contains("withdrawn"))
        #expect(try h.topics() == ["homeschool.consent.withdrawn"])
        let again = try await h.call("WithdrawConsent", Xinyu_Homeschool_V1_WithdrawConsentRequest.with { $0.consentID = given.value.id; $0.reason = "x" },
                                     as: Xinyu_Homeschool_V1_Consent.self)
        #expect(again.code == .failedPrecondition)

        _ = try await record(h, "S1", guardian: try h.guardianID("S1", "母亲"), sensitive: true, expires: "2026-10-31")
        #expect(try await check(h, "S1").consented)
        h.clock.advance(by: .seconds(30 * 86400))
        let expired = try await check(h, "S1")
        #expect(!expired.consented && expired.reason.contains("expired"))
    }
}
