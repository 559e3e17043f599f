import XinyuPluginSDK
import XinyuCrisisCore

/// Validates and scores submissions with the configured instruments and policy. Pure: the
/// caller has already looked the students up.
struct ScreeningScorer: Sendable {
    let configuration: CrisisConfiguration

    /// Scores one submission, or says everything wrong with it (by field) so that a person can
    /// fix a whole row at once.
    func score(
        studentID: String, instrumentID: String, answers: [Int32], extras: [String: Bool], roundID: String,
        takenOn: String, student: StudentFacts?, today: CalendarDay
    ) -> ScoreOutcome {
        var problems: [FieldProblem] = []
        if studentID.isEmpty {
            problems.append(FieldProblem(field: "student_id", message: "is required"))
        } else if student == nil {
            // Also for students outside the caller's scope: their existence is not revealed.
            problems.append(FieldProblem(field: "student_id", message: "no student \(studentID)"))
        }
        var day = today
        if !takenOn.isEmpty {
            if let parsed = CalendarDay(takenOn) {
                if parsed > today { problems.append(FieldProblem(field: "taken_on", message: "\(takenOn) is in the future")) }
                day = parsed
            } else {
                problems.append(FieldProblem(field: "taken_on", message: "\"\(takenOn)\" is not a date (YYYY-MM-DD)"))
            }
        }
        let result: ScoreResult
        do {
            let items = answers.map { $0 == -1 ? nil : Int($0) }
            result = try configuration.catalog.score(instrumentID: instrumentID, answers: ScreeningAnswers(items: items, extras: extras))
        } catch let error as ScoringError {
            problems.append(FieldProblem(field: error.field == "instrument" ? "instrument_id" : error.field, message: error.problem))
            return .rejected(problems)
        } catch {
            problems.append(FieldProblem(field: "answers", message: "could not be scored"))
            return .rejected(problems)
        }
        guard problems.isEmpty, let student else { return .rejected(problems) }
        let suggestion = configuration.policy.suggest([result])
        return .scored(ScoredSubmission(
            student: student, roundID: roundID, answers: answers, extras: extras, takenOn: day.description,
            result: result, suggestion: suggestion))
    }
}

/// What scoring a submission gave: a scored result, or every problem found.
enum ScoreOutcome: Sendable {
    case scored(ScoredSubmission)
    case rejected([FieldProblem])
}
