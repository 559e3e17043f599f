import XinyuCrisisAPI

// The fields each message leaves out for a viewer without crisis.clinical.read: the table in
// `ClinicalRedaction`. A new message with clinical content conforms here, and a new clinical
// field on an existing message is emptied here, in the same change.

extension Xinyu_Crisis_V1_WarningLevel: ClinicallyRedactable {
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer) { explanation = "" }
}

extension Xinyu_Crisis_V1_LevelChange: ClinicallyRedactable {
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer) {
        explanation = ""
        reason = ""
        evidence = ""
    }
}

extension Xinyu_Crisis_V1_Case: ClinicallyRedactable {
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer) { reason = "" }
}

extension Xinyu_Crisis_V1_CaseEvent: ClinicallyRedactable {
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer) { reason = "" }
}

extension Xinyu_Crisis_V1_FollowUp: ClinicallyRedactable {
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer) { summary = "" }
}

extension Xinyu_Crisis_V1_Approval: ClinicallyRedactable {
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer) {
        reason = ""
        comment = ""
    }
}

extension Xinyu_Crisis_V1_Referral: ClinicallyRedactable {
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer) {
        reason = ""
        outcome = ""
        consentBy = ""
        consentOn = ""
        consentRecord = ""
        emergencyReason = ""
    }
}

extension Xinyu_Crisis_V1_Plan: ClinicallyRedactable {
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer) {
        goals = []
        measures = measures.filter { $0.responsibleID == viewer.staffID }
        restrictedView = true
        followUps.redactClinical(for: viewer)
    }
}

extension Xinyu_Crisis_V1_Leave: ClinicallyRedactable {
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer) {
        reason = ""
        assessmentSummary = ""
        preventionPlan = preventionPlan.filter { $0.responsibleID == viewer.staffID }
        followUps.redactClinical(for: viewer)
    }
}

extension Xinyu_Crisis_V1_TimelineEntry: ClinicallyRedactable {
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer) {
        summary = ClinicalRedaction.timelineSummary(kind: kind, summary)
    }
}

// Replies that hold the messages above.

extension Xinyu_Crisis_V1_CaseDetail: ClinicallyRedactable {
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer) {
        if hasCase { self.case.redactClinical(for: viewer) }
        events.redactClinical(for: viewer)
        approvals.redactClinical(for: viewer)
        referrals.redactClinical(for: viewer)
    }
}

extension Xinyu_Crisis_V1_ListCasesResponse: ClinicallyRedactable {
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer) { cases.redactClinical(for: viewer) }
}

extension Xinyu_Crisis_V1_ListFollowUpsResponse: ClinicallyRedactable {
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer) {
        upcoming.redactClinical(for: viewer)
        overdue.redactClinical(for: viewer)
    }
}

extension Xinyu_Crisis_V1_ListWarningsResponse: ClinicallyRedactable {
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer) { warnings.redactClinical(for: viewer) }
}

extension Xinyu_Crisis_V1_ListReviewsResponse: ClinicallyRedactable {
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer) {
        due.redactClinical(for: viewer)
        overdue.redactClinical(for: viewer)
    }
}

extension Xinyu_Crisis_V1_ListLevelHistoryResponse: ClinicallyRedactable {
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer) { changes.redactClinical(for: viewer) }
}

extension Xinyu_Crisis_V1_GetArchiveResponse: ClinicallyRedactable {
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer) {
        if hasCurrentLevel { currentLevel.redactClinical(for: viewer) }
        entries.redactClinical(for: viewer)
    }
}

extension Xinyu_Crisis_V1_SubmitScreeningResponse: ClinicallyRedactable {
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer) {
        if hasLevel { level.redactClinical(for: viewer) }
    }
}
