import XinyuCrisisAPI

extension ConcernRecord {
    /// The concern as the API sends it.
    var message: Xinyu_Crisis_V1_Concern {
        var c = Xinyu_Crisis_V1_Concern()
        c.id = String(id)
        c.studentID = studentID
        c.schoolID = schoolID
        c.description_p = description
        c.raisedBy = raisedBy
        c.raisedAtMs = raisedAtMs
        c.acknowledgeDueMs = acknowledgeDueMs
        c.status = Xinyu_Crisis_V1_ConcernStatus(storedText: status) ?? .unspecified
        c.acknowledgedBy = acknowledgedBy
        c.acknowledgedAtMs = acknowledgedAtMs
        c.acknowledgeNote = acknowledgeNote
        c.escalatedAtMs = escalatedAtMs
        c.outcome = ConcernOutcome(storedText: outcome) ?? .unspecified
        c.outcomeNote = outcomeNote
        c.outcomeBy = outcomeBy
        c.outcomeAtMs = outcomeAtMs
        c.outcomeCaseID = outcomeCaseID.map(String.init) ?? ""
        c.outcomeReferralID = outcomeReferralID.map(String.init) ?? ""
        c.escalatedTo = ConcernOwner(storedText: escalatedTo) ?? .unspecified
        c.ownerID = ownerID
        c.centreEscalatedAtMs = centreEscalatedAtMs
        return c
    }
}
