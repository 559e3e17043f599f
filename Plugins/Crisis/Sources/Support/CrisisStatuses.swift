import XinyuCrisisAPI
import XinyuPluginSDK

// Every status the crisis plugin stores, declared once: the proto value (or Swift case), the
// text in its column, and so the column's CHECK clause. Shipped migrations keep their CHECK text
// as shipped; `CrisisStatusTests` holds each declaration to the CHECK in the database, so they
// cannot drift. A new table writes `\(X.checkClause("column"))` instead of spelling the list.

extension Xinyu_Crisis_V1_ConcernStatus: StoredEnum {
    /// `crisis_concerns.status`.
    public static let storedCases: [(value: Self, text: String)] = [(.open, "open"), (.acknowledged, "acknowledged"), (.escalated, "escalated")]
    /// "concern status".
    public static var valueName: String { "concern status" }
}

extension Xinyu_Crisis_V1_CaseStatus: StoredEnum {
    /// `crisis_cases.status`.
    public static let storedCases: [(value: Self, text: String)] = [(.open, "open"), (.closed, "closed")]
    /// "case status".
    public static var valueName: String { "case status" }
}

extension Xinyu_Crisis_V1_PlanStatus: StoredEnum {
    /// `crisis_plans.status`.
    public static let storedCases: [(value: Self, text: String)] = [(.pendingApproval, "pending_approval"), (.approved, "approved"), (.rejected, "rejected")]
    /// "plan status".
    public static var valueName: String { "plan status" }
}

extension Xinyu_Crisis_V1_ApprovalSubject: StoredEnum {
    /// `crisis_approvals.subject`.
    public static let storedCases: [(value: Self, text: String)] = [(.plan, "plan"), (.closure, "closure"), (.removal, "removal")]
    /// "approval subject".
    public static var valueName: String { "approval subject" }
}

extension Xinyu_Crisis_V1_ApprovalStatus: StoredEnum {
    /// `crisis_approvals.status`.
    public static let storedCases: [(value: Self, text: String)] = [(.pending, "pending"), (.approved, "approved"), (.rejected, "rejected")]
    /// "approval status".
    public static var valueName: String { "approval status" }
}

extension Xinyu_Crisis_V1_LeaveStatus: StoredEnum {
    /// `crisis_leaves.status`.
    public static let storedCases: [(value: Self, text: String)] = [(.onLeave, "on_leave"), (.returnApplied, "return_applied"), (.assessed, "assessed"), (.returned, "returned")]
    /// "leave status".
    public static var valueName: String { "leave status" }
}

extension Xinyu_Crisis_V1_LevelSource: StoredEnum {
    /// `crisis_levels.source` and `crisis_level_changes.source` (no CHECK in v1): how a level was reached.
    public static let storedCases: [(value: Self, text: String)] = [(.screening, "screening"), (.staff, "staff"), (.removal, "removal")]
    /// "level source".
    public static var valueName: String { "level source" }
}

extension Xinyu_Crisis_V1_LegalBasis: StoredEnum {
    /// `crisis_referrals.legal_basis` ('' before v2 rows had one) and the referral event's `legal_basis`.
    public static let storedCases: [(value: Self, text: String)] = [(.guardianConsent, "guardian_consent"), (.emergency, "emergency")]
    /// "legal basis".
    public static var valueName: String { "legal basis" }
}

/// Why a follow-up exists (`crisis_follow_ups.origin`; a string in the API).
enum FollowUpOrigin: String, CaseIterable, StoredEnum {
    /// Scheduled by a case's plan.
    case plan
    /// Scheduled after a return from leave (复学后跟踪).
    case `return`
    /// Recorded without a schedule.
    case extra
}

/// Where a referral stands (`crisis_referrals.status`; a string in the API): "requested", then
/// what the agency reports.
enum ReferralStatus: String, CaseIterable, StoredEnum {
    case requested
    case accepted
    case inTreatment = "in_treatment"
    case completed
    case declined
    /// Steps the partnership plugin reports (partnership.referral.updated): an appointment booked,
    /// the referral revoked by the school, or withdrawn with the guardian's consent.
    case appointmentBooked = "appointment_booked"
    case revoked
    case withdrawn

    /// "referral status".
    static var valueName: String { "referral status" }

    /// The statuses an agency (or a person for it) may report; "requested" is only ever set on creation.
    static let outcomes: [ReferralStatus] = [.accepted, .inTreatment, .completed, .declined]

    /// The statuses a `partnership.referral.updated` event may carry: every step after "requested".
    static let partnershipSteps: Set<String> = Set(allCases.filter { $0 != .requested }.map(\.rawValue))
}

extension Xinyu_Crisis_V1_ConcernOutcome: StoredEnum {
    /// `crisis_concerns.outcome` ('' until psych staff record one).
    public static let storedCases: [(value: Self, text: String)] = [(.noConcern, "no_concern"), (.watch, "watch"), (.caseOpened, "case_opened"), (.referred, "referred")]
    /// "concern outcome".
    public static var valueName: String { "concern outcome" }
}

extension Xinyu_Crisis_V1_ConcernOwner: StoredEnum {
    /// `crisis_concerns.escalated_to` ('' while not escalated).
    public static let storedCases: [(value: Self, text: String)] = [(.schoolPsychLead, "school_psych_lead"), (.growthCentre, "growth_centre")]
    /// "concern owner".
    public static var valueName: String { "concern owner" }
}
