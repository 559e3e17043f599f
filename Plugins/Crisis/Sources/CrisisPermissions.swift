import XinyuPluginSDK
/// The permission names the crisis plugin declares in its manifest. The host maps roles to
/// these names (psych teacher, class teacher, mentor, supervisor, city staff), so never rename one.
enum CrisisPermissions {
    static let screeningWrite = "crisis.screening.write"
    static let screeningRead = "crisis.screening.read"
    static let levelRead = "crisis.level.read"
    static let levelWrite = "crisis.level.write"
    static let concernWrite = "crisis.concern.write"
    static let concernAck = "crisis.concern.ack"
    static let caseRead = "crisis.case.read"
    static let caseWrite = "crisis.case.write"
    static let planApprove = "crisis.plan.approve"
    static let notesRead = "crisis.notes.read"
    static let notesWrite = "crisis.notes.write"
    static let referralWrite = "crisis.referral.write"
    static let referralOutcome = "crisis.referral.outcome"
    static let leaveWrite = "crisis.leave.write"
    static let export = "crisis.export"
    static let statsRead = "crisis.stats.read"
    /// Clinical content in replies (summaries, reasons, consent, assessments): psych staff and
    /// the growth centre. Without it `ClinicalRedaction` leaves the clinical minimum.
    static let clinicalRead = "crisis.clinical.read"
}

/// Topics the plugin publishes and subscribes to (messages in `xinyu.events.v1`).
enum CrisisTopics {
    static let levelChanged = "crisis.level.changed"
    static let caseOpened = "crisis.case.opened"
    static let caseEscalated = "crisis.case.escalated"
    static let caseClosed = "crisis.case.closed"
    static let concernEscalated = "crisis.concern.escalated"
    static let referralRequested = "crisis.referral.requested"
    static let studentReturned = "crisis.student.returned"
    static let visitRecorded = "homeschool.visit.recorded"
    static let referralUpdated = "partnership.referral.updated"
    static let published = [levelChanged, caseOpened, caseEscalated, caseClosed, concernEscalated, referralRequested, studentReturned]
}
