import Testing
import XinyuDomainKit
import XinyuFacilitiesCore

@Suite("Inspection scores from a template")
struct InspectionScorerTests {
    let template = FacilitiesConfiguration.default.defaultTemplate

    @Test("the school score weighs each item's share of its maximum")
    func weighted() {
        // duty 8/10 × 30 + archives 5/10 × 30 + room 10/10 × 25 + confidential 0 × 15 = 24 + 15 + 25 = 64
        let scores = [ItemScore(itemID: "duty", score: 8), ItemScore(itemID: "archives", score: 5), ItemScore(itemID: "room", score: 10),
                      ItemScore(itemID: "confidential", score: 0)]
        #expect(InspectionScorer.problem(scores, template: template) == nil)
        #expect(InspectionScorer.score(scores, template: template) == 64)
    }

    @Test("a score the rule does not allow, an unknown item or a missing one is named")
    func problems() {
        let base = [ItemScore(itemID: "duty", score: 8), ItemScore(itemID: "archives", score: 5), ItemScore(itemID: "room", score: 10)]
        #expect(InspectionScorer.problem(base + [ItemScore(itemID: "confidential", score: 5)], template: template)?.field == "findings[3].score")
        #expect(InspectionScorer.problem(base + [ItemScore(itemID: "roof", score: 5)], template: template)?.field == "findings[3].item_id")
        #expect(InspectionScorer.problem(base, template: template)?.problem == "item 'confidential' has no finding")
        #expect(InspectionScorer.problem([ItemScore(itemID: "duty", score: 11)], template: template)?.field == "findings[0].score")
    }

    @Test("the settings file replaces the default template and names a bad key")
    func settings() throws {
        let table = try SettingsTable.parse("""
            [duty]
            breaks = [ { name = "寒假", from = "2027-01-23", to = "2027-02-20" } ]
            [default_template]
            title = "简版"
            items = [ { id = "duty", title = "值班", weight = 1, max_score = 5, measure = "duty_compliance" } ]
            """, source: "facilities.toml")
        let configuration = try FacilitiesConfiguration.read(table)
        #expect(configuration.defaultTemplate.items.map(\.id) == ["duty"] && configuration.dutyBreaks.first?.name == "寒假")
        let bad = try SettingsTable.parse("[duty]\ncheck_in_early = 5\n", source: "facilities.toml")
        #expect(throws: SettingsError.self) { try FacilitiesConfiguration.read(bad) }
    }

    @Test("the report page escapes what people typed and shows the scores, figures and tasks in Chinese")
    func report() {
        let content = InspectionReportContent(
            schoolName: "宁波市<第一>中学", schoolID: "NB-001", date: "2026-11-30", team: ["督导甲", "督导乙"], templateTitle: "专项督查",
            templateVersion: 2, score: 64, items: [.init(title: "值班", weight: 30, maxScore: 10, score: 8, note: "周三<缺岗>", evidenceRef: "photo-1", measured: "75%")],
            measured: [("值班履职率", "75%")], tasks: [.init(description: "补齐档案", ownerName: "王老师", deadline: "2026-12-15", open: true, overdue: true)],
            reinspectionOf: "")
        let html = InspectionReportPage.html(content)
        #expect(html.contains("宁波市&lt;第一&gt;中学") && !html.contains("<第一>"))
        #expect(html.contains("周三&lt;缺岗&gt;") && html.contains("8 / 10") && html.contains("64"))
        #expect(html.contains("值班履职率") && html.contains("逾期未整改") && html.contains("补齐档案"))
    }
}

@Suite("Measured figures as the printed report words them")
struct MeasuredFigureTextTests {
    @Test("duty compliance and archive completeness in Chinese, with what was counted; none rostered, unavailable, older figures")
    func chinese() {
        #expect(MeasuredFigureText.chinese(measure: "duty_compliance", available: true, share: 0.875, counts: ["rostered": 16, "kept": 14, "excused": 2],
                                           from: "2026-11-01", to: "2026-11-30") == "87.5%（2026-11-01 至 2026-11-30：应值班 16 次，到岗 14 次；假期免值 2 次）")
        #expect(MeasuredFigureText.chinese(measure: "duty_compliance", available: true, share: 1, counts: ["rostered": 0, "kept": 0, "excused": 0],
                                           from: "2026-11-01", to: "2026-11-30") == "—（2026-11-01 至 2026-11-30：无应值班次）")
        #expect(MeasuredFigureText.chinese(measure: "archive_completeness", available: true, share: 1.0 / 3,
                                           counts: ["students": 3, "complete": 1, "missing_screening": 1, "missing_plan": 1], from: "", to: "")
                == "33.3%（在籍学生 3 人，档案完整 1 人；缺普测 1 人，有预警无一人一表 1 人）")
        #expect(MeasuredFigureText.chinese(measure: "archive_completeness", available: false, share: 0, counts: [:], from: "", to: "") == "未测得（危机干预模块未启用或暂不可用）")
        #expect(MeasuredFigureText.chinese(measure: "duty_compliance", available: true, share: 0.5, counts: [:], from: "", to: "") == "50%")
    }
}
