import XinyuPluginSDK
import XinyuCrisisAPI

// Short names for the generated messages used throughout the plugin.
typealias Submission = Xinyu_Crisis_V1_ScreeningSubmission
typealias RowError = Xinyu_Crisis_V1_RowError
typealias WarningLevelMessage = Xinyu_Crisis_V1_WarningLevel
typealias CaseMessage = Xinyu_Crisis_V1_Case
typealias FollowUpMessage = Xinyu_Crisis_V1_FollowUp
typealias MeasureMessage = Xinyu_Crisis_V1_Measure

// Short names for the stored enums (declared in `CrisisStatuses.swift`), so SQL binds
// `CaseStatus.open.requiredStoredText` instead of spelling 'open'.
typealias CaseStatus = Xinyu_Crisis_V1_CaseStatus
typealias ConcernStatus = Xinyu_Crisis_V1_ConcernStatus
typealias PlanStatus = Xinyu_Crisis_V1_PlanStatus
typealias ApprovalStatus = Xinyu_Crisis_V1_ApprovalStatus
typealias ApprovalSubject = Xinyu_Crisis_V1_ApprovalSubject
typealias LeaveStatus = Xinyu_Crisis_V1_LeaveStatus
typealias ConcernOutcome = Xinyu_Crisis_V1_ConcernOutcome
typealias ConcernOwner = Xinyu_Crisis_V1_ConcernOwner
