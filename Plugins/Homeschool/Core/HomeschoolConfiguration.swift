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
