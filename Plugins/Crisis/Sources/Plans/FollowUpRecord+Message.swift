import XinyuCrisisAPI

extension FollowUpRecord {
    /// The follow-up as the API sends it.
    var message: FollowUpMessage {
        var m = FollowUpMessage()
        m.id = String(id)
        m.caseID = caseID.map(String.init) ?? ""
        m.studentID = studentID
        m.schoolID = schoolID
        m.dueOn = dueOn
        m.doneOn = doneOn
        m.summary = summary
        m.recordedBy = recordedBy
        m.origin = origin
        m.ownerID = ownerID ?? ""
        return m
    }
}
