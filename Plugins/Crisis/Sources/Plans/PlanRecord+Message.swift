import XinyuCrisisAPI

extension PlanRecord {
    /// The plan as the API sends it to a caller who sees the goals (`full`) or, otherwise, only
    /// the measures `staffID` is responsible for; `followUps` are read by the caller.
    func message(full: Bool, staffID: String, followUps: [FollowUpMessage]) -> Xinyu_Crisis_V1_Plan {
        var plan = Xinyu_Crisis_V1_Plan()
        plan.caseID = String(caseID)
        plan.status = Xinyu_Crisis_V1_PlanStatus(storedText: status) ?? .pendingApproval
        plan.updatedBy = updatedBy
        plan.updatedAtMs = updatedAtMs
        plan.approvedBy = approvedBy
        plan.restrictedView = !full
        if full { plan.goals = JSONText.decodeStrings(goals) }
        plan.measures = JSONText.decodeMeasures(measures)
            .filter { full || $0.responsible == staffID }
            .map { m in
                var measure = MeasureMessage()
                measure.description_p = m.description
                measure.responsibleID = m.responsible
                return measure
            }
        plan.followUps = followUps
        return plan
    }
}
