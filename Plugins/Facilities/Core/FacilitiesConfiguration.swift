import XinyuDomainKit

/// The facilities plugin's settings (Config/plugins/facilities.toml): the default inspection
/// template and the duty rules.
public struct FacilitiesConfiguration: Sendable, Equatable {
    /// Saved as version 1 of its id at start-up, and as a new version when the file changes it.
    public var defaultTemplate: ChecklistDefinition
    /// Holidays and term breaks with no duty.
    public var dutyBreaks: [DutyBreak]
    /// A check-in counts from this many minutes before the slot starts until it ends.
    public var checkInEarlyMinutes: Int
    /// Duty compliance measured for an inspection covers this many days up to its date.
    public var measuredPeriodDays: Int
    /// Certifications expiring within this many days are listed by default.
    public var expiryWarningDays: Int

    /// The built-in default: the four checks of the special inspection (专项督查).
    public static let `default` = FacilitiesConfiguration(
        defaultTemplate: ChecklistDefinition(id: "default", title: "心理辅导室专项督查", items: [
            ChecklistItemDefinition(id: "duty", title: "心理教师按排班值班", weight: 30, scoring: .points, maxScore: 10, measure: "duty_compliance"),
            ChecklistItemDefinition(id: "archives", title: "学生心理档案完整", weight: 30, scoring: .points, maxScore: 10, measure: "archive_completeness"),
            ChecklistItemDefinition(id: "room", title: "辅导室按时开放、设备齐全", weight: 25, scoring: .points, maxScore: 10),
            ChecklistItemDefinition(id: "confidential", title: "记录保密管理", weight: 15, scoring: .passFail, maxScore: 10),
        ]),
        dutyBreaks: [], checkInEarlyMinutes: 15, measuredPeriodDays: 30, expiryWarningDays: 90)

    /// Creates a configuration.
    public init(defaultTemplate: ChecklistDefinition, dutyBreaks: [DutyBreak], checkInEarlyMinutes: Int, measuredPeriodDays: Int, expiryWarningDays: Int) {
        self.defaultTemplate = defaultTemplate
        self.dutyBreaks = dutyBreaks
        self.checkInEarlyMinutes = checkInEarlyMinutes
        self.measuredPeriodDays = measuredPeriodDays
        self.expiryWarningDays = expiryWarningDays
    }
}
