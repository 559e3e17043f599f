/// One item's score as the inspector recorded it.
public struct ItemScore: Sendable, Hashable {
    public let itemID: String
    public let score: Int

    /// Creates a score.
    public init(itemID: String, score: Int) {
        self.itemID = itemID
        self.score = score
    }
}

/// Computes a school's inspection score from a template version: each item contributes its
/// weight × score ÷ maximum, and the sum over the total weight is scaled to 0–100 (one decimal).
public enum InspectionScorer {
    /// The first problem with `scores` against `template` as (field, problem): an unknown or
    /// repeated item, a score the item's rule does not allow, an item without a score.
    public static func problem(_ scores: [ItemScore], template: ChecklistDefinition) -> (field: String, problem: String)? {
        let items = Dictionary(uniqueKeysWithValues: template.items.map { ($0.id, $0) })
        var seen: Set<String> = []
        for (index, score) in scores.enumerated() {
            let field = "findings[\(index)]"
            guard let item = items[score.itemID] else {
                return ("\(field).item_id", "'\(score.itemID)' is not an item of template \(template.id)")
            }
            if !seen.insert(score.itemID).inserted { return ("\(field).item_id", "'\(score.itemID)' appears twice") }
            switch item.scoring {
            case .points where !(0...item.maxScore).contains(score.score):
                return ("\(field).score", "\(score.score) is outside 0–\(item.maxScore)")
            case .passFail where score.score != 0 && score.score != item.maxScore:
                return ("\(field).score", "\(score.score) must be 0 (fail) or \(item.maxScore) (pass)")
            default: break
            }
        }
        if let missing = template.items.first(where: { !seen.contains($0.id) }) {
            return ("findings", "item '\(missing.id)' has no finding")
        }
        return nil
    }

    /// The score 0–100, rounded to one decimal. Scores must have passed ``problem(_:template:)``.
    public static func score(_ scores: [ItemScore], template: ChecklistDefinition) -> Double {
        let byItem = Dictionary(scores.map { ($0.itemID, $0.score) }, uniquingKeysWith: { first, _ in first })
        let totalWeight = template.items.reduce(0) { $0 + $1.weight }
        guard totalWeight > 0 else { return 0 }
        let earned = template.items.reduce(0.0) { sum, item in
            sum + item.weight * Double(byItem[item.id] ?? 0) / Double(item.maxScore)
        }
        return (earned / totalWeight * 1000).rounded() / 10
    }
}
