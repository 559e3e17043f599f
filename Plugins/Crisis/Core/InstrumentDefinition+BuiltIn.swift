extension InstrumentDefinition {
    /// The PHQ-9/PHQ-A bands: 0–4 minimal, 5–9 mild, 10–14 moderate,
    /// 15–19 moderately severe, 20–27 severe.
    static let phqBands: [Band] = [
        Band(lower: 0, upper: 4, name: "minimal"),
        Band(lower: 5, upper: 9, name: "mild"),
        Band(lower: 10, upper: 14, name: "moderate"),
        Band(lower: 15, upper: 19, name: "moderately_severe"),
        Band(lower: 20, upper: 27, name: "severe"),
    ]

    /// Any item-9 answer above 0 (thoughts of death or self-harm) needs
    /// immediate follow-up whatever the total.
    static let item9Positive = ItemFlagRule(item: 9, atLeast: 1, flag: "item9_positive")

    /// PHQ-9 (Patient Health Questionnaire, 患者健康问卷抑郁量表): 9 items 0–3;
    /// 1–2 unanswered are prorated, 3 or more make the total invalid.
    public static let phq9 = InstrumentDefinition(
        id: "phq-9", version: "2024-1", title: "PHQ-9 患者健康问卷抑郁量表", shortName: "PHQ-9",
        itemCount: 9, answerMin: 0, answerMax: 3, bands: phqBands,
        itemFlags: [item9Positive], maxMissingToProrate: 2
    )

    /// PHQ-A (PHQ-9 modified for adolescents, 青少年抑郁筛查量表): the PHQ-9 scoring
    /// plus two yes/no questions; a yes to either needs immediate follow-up.
    public static let phqA = InstrumentDefinition(
        id: "phq-a", version: "2024-1", title: "PHQ-A 青少年抑郁筛查量表", shortName: "PHQ-A",
        itemCount: 9, answerMin: 0, answerMax: 3, bands: phqBands,
        itemFlags: [item9Positive],
        extras: [
            ExtraQuestion(id: "suicidal_thoughts_past_month", flagWhenYes: "suicidal_thoughts_past_month"),
            ExtraQuestion(id: "past_attempt", flagWhenYes: "past_attempt"),
        ],
        maxMissingToProrate: 2
    )

    /// GAD-7 (广泛性焦虑量表): 7 items 0–3, bands 0–4 minimal, 5–9 mild,
    /// 10–14 moderate, 15–21 severe; refer at 10 or more.
    public static let gad7 = InstrumentDefinition(
        id: "gad-7", version: "2024-1", title: "GAD-7 广泛性焦虑量表", shortName: "GAD-7",
        itemCount: 7, answerMin: 0, answerMax: 3,
        bands: [
            Band(lower: 0, upper: 4, name: "minimal"),
            Band(lower: 5, upper: 9, name: "mild"),
            Band(lower: 10, upper: 14, name: "moderate"),
            Band(lower: 15, upper: 21, name: "severe"),
        ],
        maxMissingToProrate: 2, referAt: 10
    )

    /// C-SSRS screener (哥伦比亚自杀严重程度评定量表筛查版): 6 yes/no items (0/1),
    /// Q3–Q5 asked only when Q2 is yes; Q6 yes needs extras "q6_within_3_months".
    public static let cssrsScreener = InstrumentDefinition(
        id: "c-ssrs-screener", version: "2024-1", title: "C-SSRS 哥伦比亚自杀严重程度评定量表（筛查版）",
        shortName: "C-SSRS", kind: .cssrsScreener,
        itemCount: 6, answerMin: 0, answerMax: 1, bands: [],
        extras: [ExtraQuestion(id: CSSRSScreenerScorer.q6RecentKey, flagWhenYes: nil)]
    )
}
