import XinyuCrisisAPI

extension ApprovalRecord {
    /// The approval as the API sends it.
    var message: Xinyu_Crisis_V1_Approval {
        var a = Xinyu_Crisis_V1_Approval()
        a.id = String(id)
        a.caseID = caseID.map(String.init) ?? ""
        a.subject = Xinyu_Crisis_V1_ApprovalSubject(storedText: subject) ?? .unspecified
        a.status = Xinyu_Crisis_V1_ApprovalStatus(storedText: status) ?? .unspecified
        a.reason = reason
        a.requestedBy = requestedBy
        a.requestedAtMs = requestedAtMs
        a.decidedBy = decidedBy
        a.decidedAtMs = decidedAtMs
        a.comment = comment
        a.studentID = studentID
        a.planVersion = Int32(planVersion)
        return a
    }
}
