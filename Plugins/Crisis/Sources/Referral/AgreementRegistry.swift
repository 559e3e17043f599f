import XinyuCrisisAPI
import XinyuPluginSDK

/// Which agencies may receive a referral: when the partnership plugin is enabled, only one with a
/// signed agreement (签约) in force that covers referrals, whatever the legal basis.
///
/// - partnership enabled: `CheckReferralAgreement(agency, "referral")` must say covered; a no
///   refuses the referral with FAILED_PRECONDITION naming the agreement problem (no agency, no
///   agreement, expired, not covering referrals), and nothing is recorded or published.
/// - partnership not enabled or not installed: no check (no agency receives anything then).
/// - partnership enabled but not reachable: UNAVAILABLE, so nothing leaves unchecked.
enum AgreementRegistry {
    /// The purpose crisis asks about; an agreement covering referrals names it.
    static let referralPurpose = "referral"
    static let method = "xinyu.partnership.v1.Partnership/CheckReferralAgreement"

    static func requireAgreement(agency: String, context: CallContext) async throws {
        var query = Xinyu_Crisis_V1_PartnershipAgreementQuery()
        query.agencyID = agency
        query.purpose = referralPurpose
        let answer: Xinyu_Crisis_V1_PartnershipAgreementAnswer
        do {
            answer = try await context.call(method, query, as: Xinyu_Crisis_V1_PartnershipAgreementAnswer.self, timeout: .seconds(5))
        } catch let error as RPCError where error.code == .failedPrecondition || error.code == .unimplemented {
            return   // partnership is not enabled in this deployment: no agency is reached through it
        } catch let error as RPCError where error.code == .unavailable {
            throw RPCError(.unavailable, "the partnership plugin cannot be reached to check the agreement with \(agency); retry", cause: error)
        }
        guard answer.covered else {
            throw RPCError(.failedPrecondition, "field agency: a referral may go only to an agency with a signed agreement in force covering referrals: \(answer.reason)")
        }
    }
}
