extension WarningPolicy {
    /// The default policy "2024-1". Every level can be replaced in crisis.toml.
    ///
    /// | level | instrument(s)    | condition                          |
    /// |-------|------------------|------------------------------------|
    /// | 1     | c-ssrs-screener  | band high (imminent)               |
    /// | 1     | phq-a, phq-9     | flag item9_positive                |
    /// | 1     | phq-a            | flag suicidal_thoughts_past_month  |
    /// | 1     | phq-a            | flag past_attempt                  |
    /// | 2     | phq-a, phq-9     | band severe                        |
    /// | 2     | phq-a, phq-9     | band moderately_severe             |
    /// | 2     | c-ssrs-screener  | band moderate                      |
    /// | 3     | phq-a, phq-9     | band moderate                      |
    /// | 3     | gad-7            | band severe                        |
    /// | 3     | c-ssrs-screener  | band low                           |
    public static let `default` = WarningPolicy(
        id: "2024-1",
        rules: [
            Rule(instruments: ["c-ssrs-screener"], band: "high", level: 1),
            Rule(instruments: ["phq-a", "phq-9"], flag: "item9_positive", level: 1),
            Rule(instruments: ["phq-a"], flag: "suicidal_thoughts_past_month", level: 1),
            Rule(instruments: ["phq-a"], flag: "past_attempt", level: 1),
            Rule(instruments: ["phq-a", "phq-9"], band: "severe", level: 2),
            Rule(instruments: ["phq-a", "phq-9"], band: "moderately_severe", level: 2),
            Rule(instruments: ["c-ssrs-screener"], band: "moderate", level: 2),
            Rule(instruments: ["phq-a", "phq-9"], band: "moderate", level: 3),
            Rule(instruments: ["gad-7"], band: "severe", level: 3),
            Rule(instruments: ["c-ssrs-screener"], band: "low", level: 3),
        ]
    )
}
