/// A screening instrument described as data, so a city can add one in
/// configuration without a code change.
///
/// A `.summed` instrument adds its item answers, prorates or invalidates on
/// missing answers, looks the total up in `bands`, and raises flags from item
/// thresholds, yes/no extras and `referAt`. The `.cssrsScreener` kind runs the
/// fixed C-SSRS screener logic instead (see `CSSRSScreenerScorer`); its items,
/// range and extras are fixed and its `bands` must be empty.
/// `InstrumentCatalog.init(definitions:)` validates every definition.
public struct InstrumentDefinition: Sendable, Equatable, Codable {
    /// How answers are turned into a result.
    public enum Kind: String, Sendable, Equatable, Codable, CaseIterable {
        /// Sum of item answers looked up in bands (PHQ-9, PHQ-A, GAD-7, ...).
        case summed
        /// The C-SSRS screener's skip logic and risk rules (6 yes/no items).
        case cssrsScreener = "c-ssrs-screener"
    }

    /// One band of totals, inclusive at both ends.
    public struct Band: Sendable, Equatable, Codable {
        /// Lowest total in the band.
        public var lower: Int
        /// Highest total in the band.
        public var upper: Int
        /// Stable band name, e.g. "moderately_severe".
        public var name: String

        /// Creates a band covering `lower...upper`.
        public init(lower: Int, upper: Int, name: String) {
            self.lower = lower
            self.upper = upper
            self.name = name
        }
    }

    /// Raises `flag` when item `item` (1-based) is answered with `atLeast` or more,
    /// whatever the total (e.g. PHQ item 9 ≥ 1 → "item9_positive").
    public struct ItemFlagRule: Sendable, Equatable, Codable {
        /// 1-based item number, as printed on the questionnaire.
        public var item: Int
        /// Smallest answer that raises the flag.
        public var atLeast: Int
        /// Stable flag id.
        public var flag: String

        /// Creates a rule.
        public init(item: Int, atLeast: Int, flag: String) {
            self.item = item
            self.atLeast = atLeast
            self.flag = flag
        }
    }

    /// A named yes/no question asked besides the scored items.
    public struct ExtraQuestion: Sendable, Equatable, Codable {
        /// Stable key in `ScreeningAnswers.extras`, e.g. "past_attempt".
        public var id: String
        /// Flag raised when the answer is yes; nil when a yes raises nothing by itself.
        public var flagWhenYes: String?

        /// Creates a question.
        public init(id: String, flagWhenYes: String?) {
            self.id = id
            self.flagWhenYes = flagWhenYes
        }
    }

    /// Stable id, e.g. "phq-a"; lowercase letters, digits, "-", "_" and ".".
    public var id: String
    /// Version of this definition, stored with every result, e.g. "2024-1".
    public var version: String
    /// English + Chinese title, e.g. "PHQ-A 青少年抑郁筛查量表".
    public var title: String
    /// Short name used in explanations, e.g. "PHQ-A".
    public var shortName: String
    /// How answers are scored.
    public var kind: Kind
    /// Number of items; every submission must have exactly this many (nil for unanswered).
    public var itemCount: Int
    /// Smallest valid item answer.
    public var answerMin: Int
    /// Largest valid item answer.
    public var answerMax: Int
    /// Bands in ascending order, covering every possible total without gaps or overlap.
    public var bands: [Band]
    /// Item-threshold flags, checked whatever the total and even when the total is invalid.
    public var itemFlags: [ItemFlagRule]
    /// Extra yes/no questions; any other key in `ScreeningAnswers.extras` is an error.
    public var extras: [ExtraQuestion]
    /// Most unanswered items that may be prorated; more makes the result invalid.
    /// 0 means any unanswered item makes it invalid.
    public var maxMissingToProrate: Int
    /// Total at or above which the flag "refer" is raised; nil for none.
    public var referAt: Int?

    /// Creates a definition; validate it by building an `InstrumentCatalog`.
    public init(
        id: String, version: String, title: String, shortName: String, kind: Kind = .summed,
        itemCount: Int, answerMin: Int, answerMax: Int, bands: [Band],
        itemFlags: [ItemFlagRule] = [], extras: [ExtraQuestion] = [],
        maxMissingToProrate: Int = 0, referAt: Int? = nil
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.shortName = shortName
        self.kind = kind
        self.itemCount = itemCount
        self.answerMin = answerMin
        self.answerMax = answerMax
        self.bands = bands
        self.itemFlags = itemFlags
        self.extras = extras
        self.maxMissingToProrate = maxMissingToProrate
        self.referAt = referAt
    }

    /// Lowest possible total (every item answered with `answerMin`).
    public var minTotal: Int { itemCount * answerMin }
    /// Highest possible total (every item answered with `answerMax`).
    public var maxTotal: Int { itemCount * answerMax }

    /// The band containing `total`, if any.
    public func band(for total: Int) -> Band? {
        bands.first { $0.lower <= total && total <= $0.upper }
    }
}
