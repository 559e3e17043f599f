import Testing
import XinyuDomainKit
@testable import XinyuHomeschoolCore

@Suite("Homeschool rules")
struct HomeschoolCoreTests {
    @Test("the school year starts on its configured day and is named by its first year")
    func schoolYear() {
        let year = SchoolYear(startMonth: 9, startDay: 1)
        #expect(year.year(of: CalendarDay("2026-08-31")!) == 2025)
        #expect(year.year(of: CalendarDay("2026-09-01")!) == 2026)
        #expect(year.year(of: CalendarDay("2027-02-10")!) == 2026)
        let days = year.days(of: 2026)
        #expect(days.first.description == "2026-09-01" && days.last.description == "2027-08-31")
    }

    @Test("all three responsibilities close a special visit; any refusal refuses it; otherwise it is still owed")
    func acknowledgements() {
        #expect(AcknowledgementOutcome.decide([("informed", false), ("treatment", false), ("safety", false)]) == .complete)
        #expect(AcknowledgementOutcome.decide([("informed", false), ("treatment", true)]) == .refused)
        #expect(AcknowledgementOutcome.decide([("informed", false)]) == .incomplete(missing: ["treatment", "safety"]))
    }

    @Test("a guardian must consent under 14, and for sensitive data until 18")
    func consentRule() {
        let born = CalendarDay("2012-06-01")!
        #expect(ConsentRule.age(born: born, on: CalendarDay("2026-05-31")!) == 13)
        #expect(ConsentRule.age(born: born, on: CalendarDay("2026-06-01")!) == 14)
        #expect(ConsentRule.needsGuardian(age: 13, sensitive: false))
        #expect(!ConsentRule.needsGuardian(age: 14, sensitive: false))
        #expect(ConsentRule.needsGuardian(age: 17, sensitive: true))
        #expect(!ConsentRule.needsGuardian(age: 18, sensitive: true))
    }

    @Test("settings: defaults, overrides, and an error naming the key")
    func settings() throws {
        let config = try HomeschoolConfiguration.read(SettingsTable.parse("special_visit_days = 3\n[school_year]\nstart_month = 2\n", source: "homeschool.toml"))
        #expect(config.specialVisitDays == 3 && config.schoolYear == SchoolYear(startMonth: 2, startDay: 1))
        #expect(config.categories == HomeschoolConfiguration.defaultCategories)
        #expect(throws: SettingsError.self) { try HomeschoolConfiguration.read(SettingsTable.parse("categories = [\"Left Behind\"]\n", source: "homeschool.toml")) }
        #expect(throws: SettingsError.self) { try HomeschoolConfiguration.read(SettingsTable.parse("special_visits = 3\n", source: "homeschool.toml")) }
    }

    @Test("refusal reasons: the default list, the city's list, and a bad name or a repeat named")
    func refusalReasons() throws {
        #expect(HomeschoolConfiguration.default.refusalReasons.first == "denies_problem")
        let config = try HomeschoolConfiguration.read(SettingsTable.parse("refusal_reasons = [\"denies_problem\", \"moved_away\"]\n", source: "homeschool.toml"))
        #expect(config.refusalReasons == ["denies_problem", "moved_away"])
        #expect { try HomeschoolConfiguration.read(SettingsTable.parse("refusal_reasons = [\"不同意\"]\n", source: "homeschool.toml")) }
            throws: { "\($0)".contains("refusal_reasons[1]") }
        #expect { try HomeschoolConfiguration.read(SettingsTable.parse("refusal_reasons = [\"a\", \"a\"]\n", source: "homeschool.toml")) }
            throws: { "\($0)".contains("listed twice") }
    }
}
