import XinyuCrisisAPI

extension CaseRecord {
    /// The case as the API sends it; `assignment_overdue` is judged at `nowMs`.
    func message(nowMs: Int64) -> CaseMessage {
        var m = CaseMessage()
        m.id = String(id)
        m.studentID = studentID
        m.schoolID = schoolID
        m.classID = classID
        m.level = Int32(level)
        m.tier = Xinyu_Crisis_V1_Tier(rawValue: tier) ?? .unspecified
        m.status = Xinyu_Crisis_V1_CaseStatus(storedText: status) ?? .closed
        m.ownerID = ownerID ?? ""
        m.openedAtMs = openedAtMs
        m.openedBy = openedBy
        m.assignDueAtMs = assignDueAtMs
        m.assignedAtMs = assignedAtMs
        m.assignmentOverdue = m.status == .open && m.ownerID.isEmpty && m.assignDueAtMs < nowMs
        m.closedAtMs = closedAtMs
        m.reason = reason
        m.origin = origin
        m.detectedAtMs = detectedAtMs
        return m
    }
}

extension CaseEventRecord {
    /// The event as the API sends it.
    var message: Xinyu_Crisis_V1_CaseEvent {
        var e = Xinyu_Crisis_V1_CaseEvent()
        e.kind = kind
        e.fromTier = Xinyu_Crisis_V1_Tier(rawValue: fromTier) ?? .unspecified
        e.toTier = Xinyu_Crisis_V1_Tier(rawValue: toTier) ?? .unspecified
        e.reason = reason
        e.actor = actor
        e.atMs = atMs
        return e
    }
}
