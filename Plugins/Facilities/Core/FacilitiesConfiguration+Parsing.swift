import XinyuDomainKit

extension FacilitiesConfiguration {
    /// Reads the settings file strictly: unknown keys, bad values and a template with a problem
    /// are errors naming the key. Absent sections keep the defaults.
    public static func read(_ table: SettingsTable) throws(SettingsError) -> FacilitiesConfiguration {
        try table.allowOnly(["duty", "inspection", "rooms", "default_template"])
        var configuration = FacilitiesConfiguration.default
        if let duty = try table.subtable("duty") {
            try duty.allowOnly(["check_in_early_minutes", "breaks"])
            configuration.checkInEarlyMinutes = try duty.int("check_in_early_minutes", in: 0...240) ?? configuration.checkInEarlyMinutes
            configuration.dutyBreaks = try (duty.tables("breaks") ?? []).map(readBreak)
        }
        if let inspection = try table.subtable("inspection") {
            try inspection.allowOnly(["measured_period_days"])
            configuration.measuredPeriodDays = try inspection.int("measured_period_days", in: 1...366) ?? configuration.measuredPeriodDays
        }
        if let rooms = try table.subtable("rooms") {
            try rooms.allowOnly(["expiry_warning_days"])
            configuration.expiryWarningDays = try rooms.int("expiry_warning_days", in: 1...366) ?? configuration.expiryWarningDays
        }
        if let template = try table.subtable("default_template") {
            configuration.defaultTemplate = try readTemplate(template)
        }
        return configuration
    }

    private static func readBreak(_ table: SettingsTable) throws(SettingsError) -> DutyBreak {
        try table.allowOnly(["name", "from", "to"])
        let name = try table.requiredString("name")
        guard let from = CalendarDay(try table.requiredString("from")) else { throw table.error("from", "must be a date YYYY-MM-DD") }
        guard let to = CalendarDay(try table.requiredString("to")) else { throw table.error("to", "must be a date YYYY-MM-DD") }
        guard from <= to else { throw table.error("to", "\(to) is before from \(from)") }
        return DutyBreak(name: name, from: from, to: to)
    }

    private static func readTemplate(_ table: SettingsTable) throws(SettingsError) -> ChecklistDefinition {
        try table.allowOnly(["id", "title", "items"])
        var items: [ChecklistItemDefinition] = []
        for item in try table.tables("items") ?? [] {
            try item.allowOnly(["id", "title", "weight", "scoring", "max_score", "measure"])
            let scoringText = try item.string("scoring") ?? ItemScoring.points.rawValue
            guard let scoring = ItemScoring(rawValue: scoringText) else {
                throw item.error("scoring", "'\(scoringText)' is not one of points, pass_fail")
            }
            items.append(ChecklistItemDefinition(
                id: try item.requiredString("id"), title: try item.requiredString("title"),
                weight: try item.double("weight", in: 0.001...1000) ?? 1, scoring: scoring,
                maxScore: try item.int("max_score", in: 1...1000) ?? 10, measure: try item.string("measure") ?? ""))
        }
        let template = ChecklistDefinition(id: try table.string("id") ?? "default", title: try table.requiredString("title"), items: items)
        if let (field, problem) = template.problem() {
            throw table.error(field, problem)
        }
        return template
    }
}
