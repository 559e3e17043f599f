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
        return c
    }
}
