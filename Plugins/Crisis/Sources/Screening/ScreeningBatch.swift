import GRDB
import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// One row of a batch or an import, before validation.
struct ScreeningEntry: Sendable {
    /// 1-based: the CSV line, or the position in a batch.
    let line: Int64
    let studentID: String
    let instrumentID: String
    let answers: [Int32]
    let extras: [String: Bool]
    let roundID: String
    let takenOn: String
    /// Problems found while reading the row (e.g. a CSV cell that is not a number).
    var readProblems: [FieldProblem] = []
}

/// Validates a whole batch first (students in one query), so that bad rows can change nothing.
enum ScreeningBatch {
    /// Scores every entry; returns the good ones and every problem by line and field.
    static func validate(
        _ entries: [ScreeningEntry], scorer: ScreeningScorer, context: CallContext
    ) async throws -> (scored: [ScoredSubmission], errors: [RowError]) {
        let ids = entries.map(\.studentID).filter { !$0.isEmpty }
        let students = try await context.store.read { db in try StudentFacts.fetchAll(db, ids: ids) }
        let scopes = context.principal.scopes
        let today = context.today
        var scored: [ScoredSubmission] = []
        scored.reserveCapacity(entries.count)
        var errors: [RowError] = []
        for (index, entry) in entries.enumerated() {
            if index % 1024 == 0 { try context.checkCancellation() }
            // A student outside the caller's scope is reported exactly like an unknown one.
            let student = students[entry.studentID].flatMap { $0.scopeTarget.isCovered(by: scopes) ? $0 : nil }
            let outcome = scorer.score(
                studentID: entry.studentID, instrumentID: entry.instrumentID, answers: entry.answers, extras: entry.extras,
                roundID: entry.roundID, takenOn: entry.takenOn, student: student, today: today)
            let problems: [FieldProblem]
            switch outcome {
            case .scored(var s):
                problems = entry.readProblems
                s.line = entry.line
                if problems.isEmpty { scored.append(s) }
            case .rejected(let p):
                problems = entry.readProblems + p
            }
            for problem in problems {
                var e = RowError()
                e.line = entry.line
                e.field = problem.field
                e.message = problem.message
                errors.append(e)
            }
        }
        context.touched(subjects: Array(Set(scored.map(\.student.id))).sorted())
        return (scored, errors)
    }
}
