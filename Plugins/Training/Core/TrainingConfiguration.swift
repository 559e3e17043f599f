import XinyuDomainKit

/// The training plugin's settings (Config/plugins/training.toml), with the defaults the
/// guidelines give: a heart grid of at most 15 students per mentor, certificates valid five
/// years, at least two public-account articles a month, and the assessment formula.
public struct TrainingConfiguration: Sendable, Equatable {
    /// At most this many students per mentor (the 1:15 of 心网格).
    public var gridRatio: Int
    /// Years a C certificate issued on completion is valid; 0: it does not expire.
    public var cValidYears: Int
    /// Years a B certificate issued on completion is valid; 0: it does not expire.
    public var bValidYears: Int
    /// The default window of "expires soon".
    public var expiringWithinDays: Int
    /// Public-account articles the city publishes at least per month.
    public var articlesPerMonth: Int
    /// How the class teachers' B-certificate share becomes the school's assessment figure.
    public var assessment: AssessmentFormula

    /// Creates a configuration; every value has the documented default.
    public init(gridRatio: Int = 15, cValidYears: Int = 5, bValidYears: Int = 5, expiringWithinDays: Int = 90,
                articlesPerMonth: Int = 2, assessment: AssessmentFormula = AssessmentFormula()) {
        self.gridRatio = gridRatio
        self.cValidYears = cValidYears
        self.bValidYears = bValidYears
        self.expiringWithinDays = expiringWithinDays
        self.articlesPerMonth = articlesPerMonth
        self.assessment = assessment
    }

    /// The built-in defaults (no settings file).
    public static let `default` = TrainingConfiguration()
}
