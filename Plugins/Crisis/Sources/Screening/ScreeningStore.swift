import GRDB
import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// Stores scored results and applies the policy's suggested levels, in the caller's transaction.
enum ScreeningStore {
    static let columns = """
        id, student_id, round_id, instrument_id, instrument_version, answers, extras, total, prorated, band, flags,
        explanation, suggested_level, taken_on, recorded_at_ms
        """

    /// Inserts every result and raises levels where the policy suggests a more severe one.
    /// Screening never lowers a level: only psych staff do that, with a reason. A raise to a
    /// level owed a case opens it at once (``CaseDetector``); a result that matches a review rule
    /// asks a psych teacher for a safety review (``SafetyReviewStore``).
    /// Returns the new result ids (in order) and how many students' levels changed.
    static func store(
        _ db: Database, _ scored: [ScoredSubmission], context: CallContext, configuration: CrisisConfiguration
    ) throws -> (ids: [Int64], levelsChanged: Int) {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO crisis_screening_results (student_id, school_id, class_id, round_id, instrument_id, instrument_version,
                answers, extras, total, prorated, band, flags, explanation, suggested_level, taken_on, recorded_by, recorded_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var levels = try LevelStore.currentLevels(db, studentIDs: scored.map(\.student.id))
        let now = context.nowMs
        let detector = CaseDetector(configuration: configuration)
        var ids: [Int64] = []
        ids.reserveCapacity(scored.count)
        var changed = Set<String>()
        for item in scored {
            let r = item.result
            try insert.execute(arguments: [
                item.student.id, item.student.schoolID, item.student.classID, item.roundID, r.instrumentID, r.instrumentVersion,
                JSONText.ints(item.answers), JSONText.bools(item.extras), r.total, r.prorated, r.band, r.flags.joined(separator: ","),
                r.explanation, item.suggestion.level ?? 0, item.takenOn, context.principal.id, now,
            ])
            let id = db.lastInsertedRowID
            ids.append(id)
            if let rule = configuration.policy.review(for: r) {
                try SafetyReviewStore.request(db, student: item.student, resultID: id, result: r, rule: rule, context: context)
            }
            guard let suggested = item.suggestion.level else { continue }
            let current = levels[item.student.id] ?? 0
            guard current == 0 || suggested < current else { continue }
            try LevelStore.change(
                db, student: item.student, from: current, to: suggested, explanation: item.suggestion.explanation,
                reason: "screening result \(id) (\(r.instrumentID))", evidence: "screening:\(id)", source: .screening,
                context: context, timings: configuration.timings)
            try detector.levelMoved(db, student: item.student, from: current, to: suggested, cause: "screening result \(id)", context: context)
            levels[item.student.id] = suggested
            changed.insert(item.student.id)
        }
        return (ids, changed.count)
    }
}
