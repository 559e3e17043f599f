import XinyuCrisisAPI

extension LeaveRecord {
    /// The leave as the API sends it, with the follow-ups scheduled after the return (read by the caller).
    func message(followUps: [FollowUpMessage]) -> Xinyu_Crisis_V1_Leave {
        var l = Xinyu_Crisis_V1_Leave()
        l.id = String(id)
        l.studentID = studentID
        l.status = Xinyu_Crisis_V1_LeaveStatus(storedText: status) ?? .unspecified
        l.startedOn = startedOn
        l.reason = reason
        l.returnAppliedOn = returnAppliedOn
        l.assessedOn = assessedOn
        l.assessmentFit = assessmentFit
        l.assessmentSummary = assessmentSummary
        l.preventionPlan = JSONText.decodeMeasures(preventionPlan).map { m in
            var measure = MeasureMessage()
            measure.description_p = m.description
            measure.responsibleID = m.responsible
            return measure
        }
        l.returnedOn = returnedOn
        l.followUps = followUps
        return l
    }
}
