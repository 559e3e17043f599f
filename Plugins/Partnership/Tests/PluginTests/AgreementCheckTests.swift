import Foundation
import Testing
import XinyuPartnershipAPI
import XinyuPluginSDK
import XinyuWire

@Suite("Agreements limit which agencies receive referrals")
struct AgreementCheckTests {
    typealias Check = Xinyu_Partnership_V1_CheckReferralAgreementResponse

    func check(_ h: PartnershipHarness, _ agency: String, purpose: String = "referral") async throws -> Check {
        let reply = try await h.call("CheckReferralAgreement", Xinyu_Partnership_V1_CheckReferralAgreementRequest.with { $0.agencyID = agency; $0.purpose = purpose },
                                     as: Check.self)
        #expect(reply.code == .ok, "\(reply.message)")
        return reply.value
    }

    @Test("CheckReferralAgreement: no agency, no agreement, another purpose, expired, then a covering agreement in force")
    func check() async throws {
        let h = try PartnershipHarness(signAgreements: false)  // today is 2024-10-08 in Ningbo
        #expect(try await check(h, "kangning").reason == "no agency kangning in the partnership network")
        _ = try await h.call("CreateAgency", Xinyu_Partnership_V1_CreateAgencyRequest.with { $0.id = "kangning"; $0.kind = .hospital; $0.name = "宁波市康宁医院" },
                             as: Xinyu_Partnership_V1_Agency.self)
        #expect(try await check(h, "kangning").reason == "agency kangning has no signed agreement")
        func sign(_ signed: String, _ expires: String, _ purposes: [String]) async throws -> Xinyu_Partnership_V1_Agreement {
            let made = try await h.call("SignAgreement", Xinyu_Partnership_V1_SignAgreementRequest.with {
                $0.agencyID = "kangning"; $0.signedOn = signed; $0.expiresOn = expires; $0.scope = "联防"; $0.purposes = purposes
            }, as: Xinyu_Partnership_V1_Agreement.self)
            #expect(made.code == .ok, "\(made.message)")
            return made.value
        }
        let other = try await sign("2024-01-01", "2025-12-31", ["police_joint_case"])
        #expect(other.purposes == ["police_joint_case"])
        let answer = try await check(h, "kangning")
        #expect(!answer.covered && answer.reason.contains("covers \"referral\"") && answer.agreement.id == other.id)
        let lapsed = try await sign("2023-01-01", "2024-10-07", ["referral"])
        #expect(try await check(h, "kangning").covered == false)
        #expect(try await check(h, "kangning", purpose: "police_joint_case").covered)
        _ = lapsed
        let good = try await sign("2024-10-08", "2025-10-07", ["referral", "return_assessment"])
        let covered = try await check(h, "kangning")
        #expect(covered.covered && covered.agreement.id == good.id && covered.reason.isEmpty)
        let bad = try await h.call("SignAgreement", Xinyu_Partnership_V1_SignAgreementRequest.with {
            $0.agencyID = "kangning"; $0.signedOn = "2024-10-08"; $0.expiresOn = "2025-10-07"; $0.scope = "x"; $0.purposes = ["转介"]
        }, as: Xinyu_Partnership_V1_Agreement.self)
        #expect(bad.code == .invalidArgument && bad.message.contains("purposes[1]"))
    }

    @Test("a referral event for an agency without an agreement in force never reaches it")
    func intake() async throws {
        let h = try PartnershipHarness()
        try h.database.writeSync { db in
            try db.execute(sql: "UPDATE partnership_agreements SET expires_on = '2024-10-07' WHERE agency_id = 'seventh'")
        }
        try await h.deliver(PartnershipHarness.referral("21", agency: "seventh"))
        try await h.deliver(PartnershipHarness.referral("22", agency: "kangning"))
        #expect(try h.count("partnership_referrals") == 1 && h.count("partnership_referrals", "id = '22'") == 1)
    }
}
