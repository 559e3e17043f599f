import XinyuDomainKit

extension HomeschoolConfiguration {
    /// Reads homeschool.toml strictly: unknown keys, wrong types and out-of-range values throw
    /// a `SettingsError` naming the file, the key and the problem.
    ///
    /// ```toml
    /// categories = ["left_behind", "single_parent", "family_hardship", "disability", "prior_crisis"]
    /// special_visit_days = 7
    /// [school_year]
    /// start_month = 9
    /// start_day = 1
    /// ```
    public static func read(_ table: SettingsTable) throws -> HomeschoolConfiguration {
        try table.allowOnly(["categories", "special_visit_days", "school_year", "refusal_reasons"])
        var config = HomeschoolConfiguration.default
        if let categories = try table.strings("categories") {
            guard !categories.isEmpty else { throw table.error("categories", "list at least one category") }
            for (index, name) in categories.enumerated() where !Self.isValidName(name) {
                throw table.error("categories[\(index + 1)]", "'\(name)' is not a category name (a-z, 0-9, _; at most 40)")
            }
            guard Set(categories).count == categories.count else { throw table.error("categories", "a category is listed twice") }
            config.categories = categories
        }
        if let reasons = try table.strings("refusal_reasons") {
            guard !reasons.isEmpty else { throw table.error("refusal_reasons", "list at least one reason") }
            for (index, name) in reasons.enumerated() where !Self.isValidName(name) {
                throw table.error("refusal_reasons[\(index + 1)]", "'\(name)' is not a reason name (a-z, 0-9, _; at most 40)")
            }
            guard Set(reasons).count == reasons.count else { throw table.error("refusal_reasons", "a reason is listed twice") }
            config.refusalReasons = reasons
        }
        config.specialVisitDays = try table.int("special_visit_days", in: 1...90) ?? config.specialVisitDays
        if let year = try table.subtable("school_year") {
            try year.allowOnly(["start_month", "start_day"])
            config.schoolYear = SchoolYear(startMonth: try year.int("start_month", in: 1...12) ?? config.schoolYear.startMonth,
                                           startDay: try year.int("start_day", in: 1...28) ?? config.schoolYear.startDay)
        }
        return config
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 40 && name.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
