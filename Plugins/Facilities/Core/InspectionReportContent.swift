/// What a printed inspection report (督查报告) shows, gathered by the plugin and rendered by
/// ``InspectionReportPage``.
public struct InspectionReportContent: Sendable {
    /// One checklist item with the inspector's finding and the figure measured for it.
    public struct Item: Sendable {
        public var title: String
        public var weight: Double
        public var maxScore: Int
        public var score: Int
        public var note: String
        public var evidenceRef: String
        /// "" when the item has no measured figure.
        public var measured: String

        /// Creates a row.
        public init(title: String, weight: Double, maxScore: Int, score: Int, note: String, evidenceRef: String, measured: String) {
            self.title = title
            self.weight = weight
            self.maxScore = maxScore
            self.score = score
            self.note = note
            self.evidenceRef = evidenceRef
            self.measured = measured
        }
    }

    /// One rectification task (整改).
    public struct Task: Sendable {
        public var description: String
        public var ownerName: String
        public var deadline: String
        public var open: Bool
        public var overdue: Bool

        /// Creates a row.
        public init(description: String, ownerName: String, deadline: String, open: Bool, overdue: Bool) {
            self.description = description
            self.ownerName = ownerName
            self.deadline = deadline
            self.open = open
            self.overdue = overdue
        }
    }

    public var schoolName: String
    public var schoolID: String
    public var date: String
    public var team: [String]
    public var templateTitle: String
    public var templateVersion: Int
    /// nil until findings are recorded.
    public var score: Double?
    public var items: [Item]
    /// (label, figure) pairs, e.g. ("值班履职率", "87.5%（14/16 次）").
    public var measured: [(label: String, figure: String)]
    public var tasks: [Task]
    public var reinspectionOf: String

    /// Creates the content.
    public init(schoolName: String, schoolID: String, date: String, team: [String], templateTitle: String, templateVersion: Int,
                score: Double?, items: [Item], measured: [(label: String, figure: String)], tasks: [Task], reinspectionOf: String) {
        self.schoolName = schoolName
        self.schoolID = schoolID
        self.date = date
        self.team = team
        self.templateTitle = templateTitle
        self.templateVersion = templateVersion
        self.score = score
        self.items = items
        self.measured = measured
        self.tasks = tasks
        self.reinspectionOf = reinspectionOf
    }
}
