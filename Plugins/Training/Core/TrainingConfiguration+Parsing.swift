import XinyuDomainKit

extension TrainingConfiguration {
    /// Reads training.toml strictly: unknown keys, wrong types and values out of range throw a
    /// `SettingsError` naming the file, the key path and the problem.
    ///
    /// ```toml
    /// grid_ratio = 15                 # 1…60 students per mentor
    /// c_valid_years = 5               # 0…50; 0: no expiry
    /// b_valid_years = 5
    /// expiring_within_days = 90       # 1…366
    /// articles_per_month = 2          # 0…31
    /// [assessment]
    /// full_marks = 10.0               # 0…1000
    /// target_share = 0.6              # 0.01…1
    /// floor_share = 0.0               # 0…1
    /// ```
    public static func read(_ table: SettingsTable) throws(SettingsError) -> TrainingConfiguration {
        try table.allowOnly(["grid_ratio", "c_valid_years", "b_valid_years", "expiring_within_days", "articles_per_month", "assessment"])
        var configuration = TrainingConfiguration()
        configuration.gridRatio = try table.int("grid_ratio", in: 1...60) ?? configuration.gridRatio
        configuration.cValidYears = try table.int("c_valid_years", in: 0...50) ?? configuration.cValidYears
        configuration.bValidYears = try table.int("b_valid_years", in: 0...50) ?? configuration.bValidYears
        configuration.expiringWithinDays = try table.int("expiring_within_days", in: 1...366) ?? configuration.expiringWithinDays
        configuration.articlesPerMonth = try table.int("articles_per_month", in: 0...31) ?? configuration.articlesPerMonth
        if let assessment = try table.subtable("assessment") {
            try assessment.allowOnly(["full_marks", "target_share", "floor_share"])
            var formula = AssessmentFormula()
            formula.fullMarks = try assessment.double("full_marks", in: 0...1000) ?? formula.fullMarks
            formula.targetShare = try assessment.double("target_share", in: 0.01...1) ?? formula.targetShare
            formula.floorShare = try assessment.double("floor_share", in: 0...1) ?? formula.floorShare
            configuration.assessment = formula
        }
        return configuration
    }

    /// Parses the text of a settings file; `source` names it in errors.
    public static func parse(_ toml: String, source: String) throws(SettingsError) -> TrainingConfiguration {
        try read(SettingsTable.parse(toml, source: source))
    }
}
