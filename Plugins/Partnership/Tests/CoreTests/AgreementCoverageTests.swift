import Testing
import XinyuDomainKit
import XinyuPartnershipCore

@Suite("Agreements limit where a referral may go")
struct AgreementCoverageTests {
    let today = CalendarDay("2024-10-08")!

    func terms(_ id: String, _ signed: String, _ expires: String, _ purposes: [String] = []) -> AgreementTerms {
        AgreementTerms(id: id, signedOn: CalendarDay(signed)!, expiresOn: CalendarDay(expires)!, purposes: purposes)
    }

    @Test("a signed agreement in force covering the purpose (or every purpose) allows it; the last day still counts")
    func covered() {
        let framework = terms("1", "2024-01-01", "2024-10-08")
        #expect(AgreementCoverage.decide(agencyID: "kangning", agreements: [framework], purpose: "referral", today: today) == .covered(framework))
        let named = terms("2", "2024-01-01", "2025-12-31", ["police_joint_case", "referral"])
        #expect(AgreementCoverage.decide(agencyID: "kangning", agreements: [framework, named], purpose: "referral", today: today) == .covered(named))
    }

    @Test("no agreement, an expired one, one not yet in force, one for another purpose: refused naming the problem")
    func refused() {
        func reason(_ agreements: [AgreementTerms]) -> String {
            guard case .refused(let reason, _) = AgreementCoverage.decide(agencyID: "kangning", agreements: agreements, purpose: "referral", today: today) else { return "covered" }
            return reason
        }
        #expect(reason([]) == "agency kangning has no signed agreement")
        #expect(reason([terms("3", "2023-01-01", "2024-10-07")]) == "the agreement 3 with kangning expired on 2024-10-07")
        #expect(reason([terms("4", "2024-10-09", "2026-01-01")]) == "the agreement 4 with kangning is in force only from 2024-10-09")
        #expect(reason([terms("5", "2024-01-01", "2026-01-01", ["police_joint_case"])])
                == "no agreement with kangning in force covers \"referral\" (agreement 5 covers police_joint_case)")
    }
}
