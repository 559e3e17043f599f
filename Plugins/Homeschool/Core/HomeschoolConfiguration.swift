import XinyuDomainKit

/// The homeschool plugin's settings (Config/plugins/homeschool.toml), with defaults.
public struct HomeschoolConfiguration: Sendable, Equatable {
    /// The high-risk categories (五类心理高危学生) a student may be put in, by stored name.
    /// The source names five categories without listing them; this default set is ours.
    public var categories: [String]
    /// Days the class teacher has to make a special visit once it is owed.
    public var specialVisitDays: Int
    /// When the city's school year starts: a student is visited once between this day and the day before it next year.
    public var schoolYear: SchoolYear
    /// The reasons a visitor can pick when the parents refuse a responsibility on a special visit
    /// (a note in words can stand beside or instead of one).
    public var refusalReasons: [String] = defaultRefusalReasons

    /// Denies the problem (否认孩子有问题), distrusts the school, prefers their own arrangement,
    /// cannot afford treatment, fears a label (担心被贴标签).
    public static let defaultRefusalReasons = ["denies_problem", "distrusts_school", "own_arrangement", "cannot_afford", "fears_stigma"]

    /// The default set: the five categories the city's guidance commonly uses.
    public static let defaultCategories = ["left_behind", "single_parent", "family_hardship", "disability", "prior_crisis"]

    /// Five default categories, 7 days for a special visit, the school year starting 1 September.
    public static let `default` = HomeschoolConfiguration(categories: defaultCategories, specialVisitDays: 7, schoolYear: SchoolYear(startMonth: 9, startDay: 1))

    /// Creates a configuration.
    public init(categories: [String], specialVisitDays: Int, schoolYear: SchoolYear) {
        self.categories = categories
        self.specialVisitDays = specialVisitDays
        self.schoolYear = schoolYear
    }
}
