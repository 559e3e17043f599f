import Testing
@testable import XinyuCrisisCore
import XinyuDomainKit

@Suite("crisis.toml: [detection] and policy reviews")
struct DetectionConfigurationTests {
    @Test("defaults: a case at once for levels 1–2; a review within 24 hours for an unanswered PHQ safety question")
    func defaults() throws {
        let config = try CrisisConfiguration.parse("", source: "crisis.toml")
        #expect(config.detection == .default && config.detection.creates == .openCase && config.detection.levels == [1, 2])
        #expect(config.policy.reviewRules == [ReviewRule(instruments: ["phq-a", "phq-9"], flag: "safety_unanswered", withinHours: 24)])
    }

    @Test("creates = \"needs_case\" and review rules are read; replacing rules keeps the default reviews")
    func read() throws {
        let config = try CrisisConfiguration.parse("""
            [detection]
            creates = "needs_case"
            [policy]
            id = "2025-1"
            rules = [ { instruments = ["phq-a"], flag = "item9_positive", level = 1 } ]
            """, source: "crisis.toml")
        #expect(config.detection.creates == .needsCase)
        #expect(config.policy.reviewRules == ReviewRule.defaults)
        let reviews = try CrisisConfiguration.parse("""
            [policy]
            reviews = [ { instruments = ["phq-a"], flag = "past_attempt_unanswered", within_hours = 4 } ]
            """, source: "crisis.toml")
        #expect(reviews.policy.reviewRules == [ReviewRule(instruments: ["phq-a"], flag: "past_attempt_unanswered", withinHours: 4)])
    }

    @Test("mistakes name the key", arguments: [
        ("[detection]\ncreates = \"ticket\"", "detection.creates", "\"ticket\" is not known"),
        ("[detection]\nlevels = [1]", "detection.levels", "unknown key"),
        ("[policy]\nreviews = [ { instruments = [\"gad-7\"], flag = \"safety_unanswered\", within_hours = 24 } ]", "policy.reviews[1].flag", "never raises"),
        ("[policy]\nreviews = [ { instruments = [\"phq-a\"], flag = \"safety_unanswered\", within_hours = 0 } ]", "policy.reviews[1].within_hours", "720"),
    ])
    func mistakes(toml: String, key: String, problem: String) {
        let error = caught(CrisisConfigurationError.self) { try CrisisConfiguration.parse(toml, source: "crisis.toml") }
        #expect(error?.description.contains(key) == true, "\(String(describing: error))")
        #expect(error?.description.contains(problem) == true, "\(String(describing: error))")
    }
}
