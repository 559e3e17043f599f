import XinyuPluginSDK
import XinyuCrisisCore

/// A submission that passed validation: scored, with the level the policy suggests.
struct ScoredSubmission: Sendable {
    let student: StudentFacts
    let roundID: String
    let answers: [Int32]
    let extras: [String: Bool]
    let takenOn: String
    let result: ScoreResult
    let suggestion: LevelSuggestion
    /// 1-based: the CSV line or batch position it came from (0 for a single submission).
    var line: Int64 = 0
}

/// One thing wrong with a submission: the field ("student_id", "item 3", "items", ...) and why.
struct FieldProblem: Sendable, Equatable {
    let field: String
    let message: String
}
