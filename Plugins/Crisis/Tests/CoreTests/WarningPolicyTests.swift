import Testing
@testable import XinyuCrisisCore
import XinyuDomainKit

@Suite("Warning policy")
struct WarningPolicyTests {
    static let none: [Int?] = [0, 0, nil, nil, nil, 0]

    @Test("each default rule", arguments: [
        ("c-ssrs-screener", [1, 1, 0, 1, 0, 0] as [Int?], [String: Bool](), 1 as Int?),
        ("phq-9", [0, 0, 0, 0, 0, 0, 0, 0, 1] as [Int?], [String: Bool](), 1),
        ("phq-a", [0, 0, 0, 0, 0, 0, 0, 0, 2] as [Int?], [String: Bool](), 1),
        ("phq-a", [0, 0, 0, 0, 0, 0, 0, 0, 0] as [Int?], ["suicidal_thoughts_past_month": true], 1),
        ("phq-a", [0, 0, 0, 0, 0, 0, 0, 0, 0] as [Int?], ["past_attempt": true], 1),
        ("phq-a", answers(total: 20, items: 9), [String: Bool](), 2),
        ("phq-9", answers(total: 24, items: 9), [String: Bool](), 2),
        ("phq-9", answers(total: 15, items: 9), [String: Bool](), 2),
        ("c-ssrs-screener", [1, 1, 1, 0, 0, 0] as [Int?], [String: Bool](), 2),
        ("phq-a", answers(total: 10, items: 9), [String: Bool](), 3),
        ("gad-7", answers(total: 15, items: 7), [String: Bool](), 3),
        ("c-ssrs-screener", [1, 0, nil, nil, nil, 0] as [Int?], [String: Bool](), 3),
        ("phq-9", answers(total: 9, items: 9), [String: Bool](), nil),
        ("gad-7", answers(total: 14, items: 7), [String: Bool](), nil),
        ("c-ssrs-screener", none, [String: Bool](), nil),
    ])
    func defaultRule(instrument: String, items: [Int?], extras: [String: Bool], level: Int?) throws {
        let result = try score(instrument, items, extras: extras)
        let suggestion = WarningPolicy.default.suggest([result])
        #expect(suggestion.level == level)
        #expect(suggestion.explanation.contains("2024-1"))
    }

    @Test("most severe wins and the explanation names instrument, total and policy")
    func mostSevereWins() throws {
        let gad = try score("gad-7", answers(total: 16, items: 7))             // level 3
        let phq = try score("phq-a", [3, 3, 3, 3, 3, 2, 1, 1, 2])              // total 21, item 9 = 2 → level 1
        let cssrs = try score("c-ssrs-screener", [1, 1, 1, 0, 0, 0])           // level 2
        let suggestion = WarningPolicy.default.suggest([gad, phq, cssrs])
        #expect(suggestion.level == 1)
        #expect(suggestion.explanation.contains("PHQ-A total 21"))
        #expect(suggestion.explanation.contains("item 9 = 2"))
        #expect(suggestion.explanation.contains("level 1 under policy 2024-1"))
        #expect(suggestion.explanation.contains("item9_positive"))
        #expect(!suggestion.explanation.contains("GAD-7"))
    }

    @Test("equally severe results are all named")
    func ties() throws {
        let phq = try score("phq-9", answers(total: 16, items: 9))
        let cssrs = try score("c-ssrs-screener", [1, 1, 1, 0, 0, 0])
        let suggestion = WarningPolicy.default.suggest([phq, cssrs])
        #expect(suggestion.level == 2)
        #expect(suggestion.explanation.contains("PHQ-9 total 16"))
        #expect(suggestion.explanation.contains("C-SSRS moderate"))
    }

    @Test("no results, no level")
    func empty() {
        let suggestion = WarningPolicy.default.suggest([])
        #expect(suggestion.level == nil)
        #expect(suggestion.explanation.contains("policy 2024-1"))
    }

    @Test("min_total rules use the total")
    func minTotal() throws {
        let policy = WarningPolicy(id: "t", rules: [.init(instruments: ["gad-7"], minTotal: 12, level: 2)])
        #expect(policy.suggest([try score("gad-7", answers(total: 11, items: 7))]).level == nil)
        #expect(policy.suggest([try score("gad-7", answers(total: 12, items: 7))]).level == 2)
    }
}
