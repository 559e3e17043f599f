import XinyuCrisisAPI

extension ReferralRecord {
    /// The referral as the API sends it.
    var message: Xinyu_Crisis_V1_Referral {
        var r = Xinyu_Crisis_V1_Referral()
        r.id = String(id)
        r.caseID = String(caseID)
        r.studentID = studentID
        r.agency = agency
        r.reason = reason
        r.urgent = urgent
        r.status = status
        r.outcome = outcome
        r.requestedBy = requestedBy
        r.requestedAtMs = requestedAtMs
        r.updatedAtMs = updatedAtMs
        r.legalBasis = Xinyu_Crisis_V1_LegalBasis(storedText: legalBasis) ?? .unspecified
        r.consentBy = consentBy
        r.consentOn = consentOn
        r.consentRecord = consentRecord
        r.emergencyReason = emergencyReason
        return r
    }
}
