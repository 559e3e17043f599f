/// The configurable clocks of the three-level warning database (三级预警动态数据库).
public struct CrisisTimings: Sendable, Equatable {
    /// Warning level → days between reviews (default 1: 7, 2: 14, 3: 30).
    public var reviewIntervalDays: [Int: Int]
    /// Warning level → minutes allowed to assign a case owner (专人专案)
    /// (default 1: 60, 2: 1440, 3: 4320).
    public var assignmentDeadlineMinutes: [Int: Int]
    /// Minutes within which a mentor's concern (德育导师预警) must be acknowledged (default 120).
    public var concernAcknowledgeMinutes: Int

    /// Creates timings.
    public init(reviewIntervalDays: [Int: Int], assignmentDeadlineMinutes: [Int: Int], concernAcknowledgeMinutes: Int) {
        self.reviewIntervalDays = reviewIntervalDays
        self.assignmentDeadlineMinutes = assignmentDeadlineMinutes
        self.concernAcknowledgeMinutes = concernAcknowledgeMinutes
    }

    /// Weekly review of level 1, fortnightly of level 2, monthly of level 3;
    /// a level-1 case gets an owner within the hour.
    public static let `default` = CrisisTimings(
        reviewIntervalDays: [1: 7, 2: 14, 3: 30],
        assignmentDeadlineMinutes: [1: 60, 2: 1440, 3: 4320],
        concernAcknowledgeMinutes: 120
    )
}

extension CrisisTimings {
    /// Minutes to assign an owner at `level`; a level without a setting (0, for a monitoring
    /// case of a student no longer at a level) gets level 3's.
    public func assignmentMinutes(level: Int) -> Int {
        assignmentDeadlineMinutes[level] ?? assignmentDeadlineMinutes[3] ?? 4320
    }
}
