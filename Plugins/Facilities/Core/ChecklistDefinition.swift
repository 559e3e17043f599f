/// How an item's score is given.
public enum ItemScoring: String, Sendable, Codable, CaseIterable {
    /// Any whole number from 0 to the item's maximum.
    case points
    /// 0 or the maximum.
    case passFail = "pass_fail"
}

/// One item of an inspection checklist: what is checked, how much it weighs, how it is scored,
/// and which measured figure the inspector sees beside it.
public struct ChecklistItemDefinition: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var weight: Double
    public var scoring: ItemScoring
    public var maxScore: Int
    /// "" or a measured figure: "duty_compliance", "archive_completeness".
    public var measure: String

    /// Creates an item.
    public init(id: String, title: String, weight: Double, scoring: ItemScoring, maxScore: Int, measure: String = "") {
        self.id = id
        self.title = title
        self.weight = weight
        self.scoring = scoring
        self.maxScore = maxScore
        self.measure = measure
    }
}

/// A checklist template (督查清单) as data. Saved templates are versioned: an inspection keeps the
/// version it used, so editing a template never changes a recorded score.
public struct ChecklistDefinition: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var items: [ChecklistItemDefinition]

    /// Creates a template.
    public init(id: String, title: String, items: [ChecklistItemDefinition]) {
        self.id = id
        self.title = title
        self.items = items
    }

    /// The measured figures an inspector may see beside an item.
    public static let measures: Set<String> = ["duty_compliance", "archive_completeness"]

    /// The first problem with the template as (field, problem), or nil when it is usable.
    /// Fields are named as in the API: "items[2].weight".
    public func problem() -> (field: String, problem: String)? {
        if !Self.isIdentifier(id) { return ("id", "'\(id)' must be 1–40 of a-z 0-9 _ -") }
        if items.isEmpty { return ("items", "at least one item is required") }
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            let field = "items[\(index)]"
            if !Self.isIdentifier(item.id) { return ("\(field).id", "'\(item.id)' must be 1–40 of a-z 0-9 _ -") }
            if !seen.insert(item.id).inserted { return ("\(field).id", "'\(item.id)' appears twice") }
            if item.title.isEmpty { return ("\(field).title", "is required") }
            if !(item.weight > 0 && item.weight <= 1000) { return ("\(field).weight", "\(item.weight) must be above 0 and at most 1000") }
            if !(1...1000).contains(item.maxScore) { return ("\(field).max_score", "\(item.maxScore) must be 1–1000") }
            if !item.measure.isEmpty && !Self.measures.contains(item.measure) {
                return ("\(field).measure", "'\(item.measure)' is not one of \(Self.measures.sorted().joined(separator: ", "))")
            }
        }
        return nil
    }

    static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 40 && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }
}
