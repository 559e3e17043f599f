import XinyuCrisisAPI
import XinyuPluginSDK

/// The guardian consent a referral relies on, from the homeschool plugin's consent registry
/// when homeschool is enabled, instead of the free-text consent fields of the request.
///
/// - homeschool enabled: `CheckConsent(student, "referral", agency)` must say yes, and the
///   referral records the registry's consent (guardian, relation, day, consent id); a no refuses
///   the referral with FAILED_PRECONDITION and the registry's reason (e.g. withdrawn).
/// - homeschool not enabled or not installed: nil, and the request's free-text fields are checked
///   as before (``LegalBasisCheck``).
/// - homeschool enabled but not reachable: UNAVAILABLE, so nothing leaves unchecked; an emergency
///   referral does not ask the registry at all.
enum ConsentRegistry {
    /// The purpose crisis asks the registry about; a consent recorded for referrals uses it.
    static let referralPurpose = "referral"
    static let method = "xinyu.homeschool.v1.Homeschool/CheckConsent"

    static func basis(studentID: String, agency: String, context: CallContext) async throws -> LegalBasisCheck.Basis? {
        var query = Xinyu_Crisis_V1_RegistryConsentQuery()
        query.studentID = studentID
        query.purpose = referralPurpose
        query.agency = agency
        let answer: Xinyu_Crisis_V1_RegistryConsentAnswer
        do {
            answer = try await context.call(method, query, as: Xinyu_Crisis_V1_RegistryConsentAnswer.self, timeout: .seconds(5))
        } catch let error as RPCError where error.code == .failedPrecondition || error.code == .unimplemented {
            return nil   // homeschool is not enabled in this deployment: the request's own fields decide
        } catch let error as RPCError where error.code == .unavailable {
            throw RPCError(.unavailable, "the guardian consent registry (homeschool) cannot be reached to check consent for this referral; retry, or record an emergency basis", cause: error)
        }
        guard answer.consented else {
            throw RPCError(.failedPrecondition, "field legal_basis: no guardian consent for referral to \(agency) is in force in the consent registry (\(answer.reason)); record the guardian's consent (homeschool RecordConsent, purpose \"\(referralPurpose)\") or an emergency basis")
        }
        let consent = answer.consent
        let relation = consent.guardianRelation.isEmpty ? "" : " (\(consent.guardianRelation))"
        return LegalBasisCheck.Basis(name: Xinyu_Crisis_V1_LegalBasis.guardianConsent.requiredStoredText,
                                     consentBy: "guardian \(consent.guardianID)\(relation)", consentOn: consent.givenOn,
                                     consentRecord: "homeschool consent \(consent.id): \(consent.evidenceRef)")
    }
}
