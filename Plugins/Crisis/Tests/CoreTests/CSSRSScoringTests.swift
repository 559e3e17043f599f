import Testing
@testable import XinyuCrisisCore
import XinyuDomainKit

@Suite("C-SSRS screener scoring")
struct CSSRSScoringTests {
    @Test("every risk path", arguments: [
        ([0, 0, nil, nil, nil, 0] as [Int?], [String: Bool](), "none"),
        ([1, 0, nil, nil, nil, 0] as [Int?], [String: Bool](), "low"),
        ([0, 1, 0, 0, 0, 0] as [Int?], [String: Bool](), "low"),
        ([1, 1, 1, 0, 0, 0] as [Int?], [String: Bool](), "moderate"),
        ([0, 0, nil, nil, nil, 1] as [Int?], ["q6_within_3_months": false], "moderate"),
        ([1, 1, 0, 1, 0, 0] as [Int?], [String: Bool](), "high"),
        ([1, 1, 1, 0, 1, 0] as [Int?], [String: Bool](), "high"),
        ([0, 0, nil, nil, nil, 1] as [Int?], ["q6_within_3_months": true], "high"),
    ])
    func risk(items: [Int?], extras: [String: Bool], band: String) throws {
        let result = try score("c-ssrs-screener", items, extras: extras)
        #expect(result.band == band)
        #expect(result.total == nil)
        #expect(result.prorated == false)
        #expect(result.flags == (band == "high" ? ["imminent"] : []))
        #expect(result.explanation.hasPrefix("C-SSRS \(band) risk"))
    }

    @Test("Q3 answered yes when Q2 is no")
    func skipViolation() {
        let error = caught(ScoringError.self) { try score("c-ssrs-screener", [1, 0, 1, nil, nil, 0]) }
        #expect(error?.description == "item 3: must be skipped when item 2 is no")
    }

    @Test("Q4 or Q5 yes is high risk even after Q2 no, flagged incomplete, never refused", arguments: [3, 4])
    func intentAfterQ2No(index: Int) throws {
        var items: [Int?] = [1, 0, nil, nil, nil, 0]
        items[index] = 1
        let result = try score("c-ssrs-screener", items)
        #expect(result.band == "high" && result.flags == ["imminent", "incomplete"])
        #expect(result.explanation.contains("item 2 is no but a later intent item is yes"))
    }

    @Test("Q4, Q5 or a recent Q6 yes is high risk whatever else is missing", arguments: [
        ([nil, nil, nil, 1, nil, nil] as [Int?], [String: Bool]()),
        ([nil, nil, nil, nil, 1, nil] as [Int?], [String: Bool]()),
        ([nil, 1, nil, nil, nil, 1] as [Int?], ["q6_within_3_months": true]),
        ([7, nil, nil, 1, nil, 0] as [Int?], [String: Bool]()),
    ])
    func highDespiteGaps(items: [Int?], extras: [String: Bool]) throws {
        let result = try score("c-ssrs-screener", items, extras: extras)
        #expect(result.band == "high" && result.flags == ["imminent", "incomplete"])
        #expect(result.explanation.hasPrefix("C-SSRS high risk: ") && result.explanation.contains("unanswered"))
        #expect(WarningPolicy.default.suggest([result]).level == 1)
    }

    @Test("Q3–Q5 missing when Q2 is yes", arguments: [2, 3, 4])
    func missingAfterQ2(index: Int) {
        var items: [Int?] = [1, 1, 0, 0, 0, 0]
        items[index] = nil
        let error = caught(ScoringError.self) { try score("c-ssrs-screener", items) }
        #expect(error?.field == "item \(index + 1)")
    }

    @Test("Q6 yes without its date counts as recent: high risk, flagged incomplete")
    func missingQ6Extra() throws {
        let result = try score("c-ssrs-screener", [0, 0, nil, nil, nil, 1])
        #expect(result.band == "high" && result.flags == ["imminent", "incomplete"])
        #expect(result.explanation.contains("date unanswered (counted as within 3 months)"))
    }

    @Test("answers are 0 or 1")
    func binary() {
        let error = caught(ScoringError.self) { try score("c-ssrs-screener", [2, 0, nil, nil, nil, 0]) }
        #expect(error?.description == "item 1: 2 is out of range 0–1")
    }

    @Test("Q1, Q2 and Q6 are always asked", arguments: [0, 1, 5])
    func alwaysAsked(index: Int) {
        var items: [Int?] = [0, 0, nil, nil, nil, 0]
        items[index] = nil
        let error = caught(ScoringError.self) { try score("c-ssrs-screener", items) }
        #expect(error?.field == "item \(index + 1)")
    }
}
