import Foundation
import Testing
@testable import XinyuCrisisCore
import XinyuDomainKit

@Suite("crisis.toml parsing")
struct CrisisConfigurationTests {
    static let source = "Config/plugins/crisis.toml"

    static let custom = """
        [[instruments]]
        id = "sdq-e"
        version = "2025-1"
        title = "SDQ 情绪分量表"
        short_name = "SDQ-E"
        items = 5
        answer_max = 2
        max_missing_to_prorate = 1
        refer_at = 6
        bands = [
          { lower = 0, upper = 5, name = "normal" },
          { lower = 6, upper = 10, name = "high" },
        ]
        item_flags = [ { item = 5, at_least = 2, flag = "item5_high" } ]
        extras = [ { id = "self_harm", flag = "self_harm" } ]

        [policy]
        id = "2025-city"
        rules = [
          { instruments = ["sdq-e"], band = "high", level = 3 },
          { instruments = ["sdq-e"], flag = "self_harm", level = 1 },
          { instruments = ["phq-a", "phq-9"], flag = "item9_positive", level = 1 },
        ]

        [timings]
        review_interval_days = { 1 = 3 }
        concern_acknowledge_minutes = 60
        """

    func parseError(_ toml: String) -> CrisisConfigurationError? {
        caught(CrisisConfigurationError.self) { try CrisisConfiguration.parse(toml, source: Self.source) }
    }

    @Test("an empty file is the default")
    func empty() throws {
        #expect(try CrisisConfiguration.parse("", source: Self.source) == .default)
        #expect(CrisisConfiguration.default.catalog.all.map(\.id) == ["phq-a", "phq-9", "gad-7", "c-ssrs-screener"])
    }

    @Test("a custom instrument is added, scored and mapped")
    func customInstrument() throws {
        let config = try CrisisConfiguration.parse(Self.custom, source: Self.source)
        #expect(config.catalog.all.count == 5)
        let result = try config.catalog.score(instrumentID: "sdq-e", answers: ScreeningAnswers(items: [2, 2, 1, nil, 2]))
        // sum 7 over 4 answered: 7 × 5 / 4 = 8.75 → 9
        #expect(result.total == 9)
        #expect(result.prorated)
        #expect(result.band == "high")
        // The extra self_harm raises a flag, so left unanswered it raises "self_harm_unanswered".
        #expect(result.flags == ["item5_high", "self_harm_unanswered", "safety_unanswered", "refer"])
        #expect(result.explanation.hasPrefix("SDQ-E total 9 (high)"))
        let suggestion = config.policy.suggest([result])
        #expect(suggestion.level == 3)
        #expect(suggestion.explanation.contains("policy 2025-city"))
        let selfHarm = try config.catalog.score(
            instrumentID: "sdq-e", answers: ScreeningAnswers(items: [0, 0, 0, 0, 0], extras: ["self_harm": true]))
        #expect(config.policy.suggest([selfHarm]).level == 1)
        #expect(config.policy.rules.count == 3)
        #expect(config.timings.reviewIntervalDays == [1: 3, 2: 14, 3: 30])
        #expect(config.timings.concernAcknowledgeMinutes == 60)
        #expect(config.timings.assignmentDeadlineMinutes == CrisisTimings.default.assignmentDeadlineMinutes)
    }

    @Test("a built-in is replaced by the same id")
    func override() throws {
        let config = try CrisisConfiguration.parse("""
            [[instruments]]
            id = "c-ssrs-screener"
            kind = "c-ssrs-screener"
            version = "2025-2"
            title = "C-SSRS 筛查版 (city wording)"
            short_name = "C-SSRS"
            """, source: Self.source)
        #expect(config.catalog.all.count == 4)
        let result = try config.catalog.score(instrumentID: "c-ssrs-screener", answers: ScreeningAnswers(items: [1, 0, nil, nil, nil, 0]))
        #expect(result.instrumentVersion == "2025-2")
        #expect(result.band == "low")
    }

    @Test("bad keys, types and values are named", arguments: [
        ("[timing]\nx = 1", "timing", "unknown key"),
        ("[timings]\nreview_days = 3", "timings.review_days", "unknown key"),
        ("[timings]\nconcern_acknowledge_minutes = \"soon\"", "timings.concern_acknowledge_minutes", "whole number"),
        ("[timings]\nconcern_acknowledge_minutes = 0", "timings.concern_acknowledge_minutes", "outside"),
        ("[timings]\nreview_interval_days = { 4 = 3 }", "timings.review_interval_days.4", "unknown key"),
        ("[policy]\nrules = [ { instruments = [\"gad-7\"], band = \"severe\", level = 2 } ]", "policy.id", "required"),
        ("[policy]\nid = \"x\"\nrules = [ { instruments = [\"gad-7\"], band = \"sever\", level = 2 } ]", "policy.rules[1].band", "no band"),
        ("[policy]\nid = \"x\"\nrules = [ { instruments = [\"gad-7\"], flag = \"imminent\", level = 2 } ]", "policy.rules[1].flag", "never raises"),
        ("[policy]\nid = \"x\"\nrules = [ { instruments = [\"bdi\"], band = \"severe\", level = 2 } ]", "policy.rules[1].instruments", "no instrument"),
        ("[policy]\nid = \"x\"\nrules = [ { instruments = [\"gad-7\"], band = \"severe\", level = 4 } ]", "policy.rules[1].level", "outside"),
        ("[policy]\nid = \"x\"\nrules = [ { instruments = [\"gad-7\"], level = 2 } ]", "policy.rules[1].band", "at least one"),
        ("[[instruments]]\nid = \"x\"\nversion = \"1\"\ntitle = \"X\"\nitems = 2\nanswer_max = 1\nbands = [ { lower = 0, upper = 2, name = \"all\" } ]\ncolour = \"red\"", "instruments[1].colour", "unknown key"),
        ("[[instruments]]\nid = \"x\"\ntitle = \"X\"\nitems = 2\nanswer_max = 1", "instruments[1].version", "required"),
        ("[[instruments]]\nid = \"x\"\nversion = \"1\"\ntitle = \"X\"\nitems = 2\nanswer_max = 1\nkind = \"sum\"", "instruments[1].kind", "not a kind"),
        ("x = = 1", "line 1", "not valid TOML"),
    ])
    func badInput(toml: String, key: String, problem: String) {
        let error = parseError(toml)
        #expect(error?.key == key)
        #expect(error?.problem.contains(problem) == true, "\(String(describing: error))")
        #expect(error?.description.hasPrefix("\(Self.source): \(key): ") == true)
    }

    @Test("band coverage is checked", arguments: [
        ("{ lower = 0, upper = 3, name = \"low\" }, { lower = 5, upper = 10, name = \"high\" }", "total 4 is in no band"),
        ("{ lower = 0, upper = 5, name = \"low\" }, { lower = 5, upper = 10, name = \"high\" }", "overlapping"),
        ("{ lower = 0, upper = 5, name = \"low\" }, { lower = 6, upper = 9, name = \"high\" }", "totals reach 10"),
        ("{ lower = 1, upper = 5, name = \"low\" }, { lower = 6, upper = 10, name = \"high\" }", "must start at the lowest total 0"),
        ("{ lower = 0, upper = 5, name = \"low\" }, { lower = 6, upper = 10, name = \"low\" }", "appears twice"),
    ])
    func bandCoverage(bands: String, problem: String) {
        let toml = """
            [[instruments]]
            id = "sdq-e"
            version = "1"
            title = "SDQ"
            items = 5
            answer_max = 2
            bands = [ \(bands) ]
            """
        let error = parseError(toml)
        #expect(error?.key.hasPrefix("instruments[1].bands") == true, "\(String(describing: error))")
        #expect(error?.problem.contains(problem) == true, "\(String(describing: error))")
        #expect(error?.problem.contains("sdq-e") == true)
    }

    @Test("definitions are validated by the catalog")
    func catalogValidation() {
        var bad = InstrumentDefinition.gad7
        bad.itemFlags = [.init(item: 8, atLeast: 1, flag: "item8")]
        let error = caught(InstrumentDefinitionError.self) { try InstrumentCatalog(definitions: [bad]) }
        #expect(error == InstrumentDefinitionError(instrument: "gad-7", field: "item_flags[1].item", problem: "8 is outside 1…7"))
        let duplicate = caught(InstrumentDefinitionError.self) { try InstrumentCatalog(definitions: [.gad7, .gad7]) }
        #expect(duplicate?.field == "id")
    }

    @Test("definitions round-trip through Codable")
    func codable() throws {
        let data = try JSONEncoder().encode(InstrumentCatalog.builtIn.all)
        let decoded = try JSONDecoder().decode([InstrumentDefinition].self, from: data)
        #expect(decoded == InstrumentCatalog.builtIn.all)
    }
}
