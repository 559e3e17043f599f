import XinyuPluginSDK
import XinyuCrisisAPI

// Short names for the generated messages used throughout the plugin.
typealias Submission = Xinyu_Crisis_V1_ScreeningSubmission
typealias RowError = Xinyu_Crisis_V1_RowError
typealias WarningLevelMessage = Xinyu_Crisis_V1_WarningLevel
typealias CaseMessage = Xinyu_Crisis_V1_Case
typealias FollowUpMessage = Xinyu_Crisis_V1_FollowUp
typealias MeasureMessage = Xinyu_Crisis_V1_Measure
