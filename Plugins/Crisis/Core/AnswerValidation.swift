/// Checks shared by every instrument kind, before any scoring.
enum AnswerValidation {
    /// Throws unless `answers` has exactly `definition.itemCount` items, each nil
    /// or within the answer range, and only extras the definition knows.
    static func check(_ answers: ScreeningAnswers, against definition: InstrumentDefinition) throws(ScoringError) {
        let name = definition.shortName
        guard answers.items.count == definition.itemCount else {
            throw ScoringError(
                field: "items",
                problem: "\(name) has \(definition.itemCount) items but \(answers.items.count) answers were given (send nil for an unanswered item)"
            )
        }
        for (index, answer) in answers.items.enumerated() {
            guard let answer else { continue }
            guard (definition.answerMin...definition.answerMax).contains(answer) else {
                throw ScoringError(
                    field: "item \(index + 1)",
                    problem: "\(answer) is out of range \(definition.answerMin)–\(definition.answerMax)"
                )
            }
        }
        let known = Set(definition.extras.map(\.id))
        for key in answers.extras.keys.sorted() where !known.contains(key) {
            let list = known.isEmpty ? "none" : known.sorted().joined(separator: ", ")
            throw ScoringError(field: "extras.\(key)", problem: "\(name) has no such question (known: \(list))")
        }
    }
}
