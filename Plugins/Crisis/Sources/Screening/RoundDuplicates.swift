import GRDB
import XinyuPluginSDK

/// The rule for importing a screening round again (issue 12 §6): **skip**. A row whose student
/// and instrument the round already holds (from an earlier import, or an earlier line of the
/// same file) is not stored again, and the import's report counts it and names its line. Never
/// replace: a stored result is evidence a level may rest on, and screening never lowers a
/// level; a correction is a new round or a psych teacher's SetWarningLevel with a reason.
enum RoundDuplicates {
    /// The rule's name in the report.
    static let rule = "skip"
    /// How many duplicate lines a report lists (the count is always complete).
    static let linesReported = 1000

    /// The rows to store and the lines skipped as duplicates, read in the caller's transaction
    /// (in the import's write, so two imports of one round cannot both store a row).
    static func split(_ db: Database, roundID: String, _ scored: [ScoredSubmission]) throws -> (keep: [ScoredSubmission], duplicateLines: [Int64]) {
        var seen = Set<String>()
        let ids = Array(Set(scored.map(\.student.id)))
        let rows = try Row.fetchCursor(db, sql: """
            SELECT student_id, instrument_id FROM crisis_screening_results
            WHERE round_id = ? AND student_id IN (SELECT value FROM json_each(?))
            """, arguments: [roundID, JSONText.strings(ids)])
        while let row = try rows.next() { seen.insert(key(row["student_id"], row["instrument_id"])) }
        var keep: [ScoredSubmission] = []
        keep.reserveCapacity(scored.count)
        var duplicates: [Int64] = []
        for item in scored {
            if seen.insert(key(item.student.id, item.result.instrumentID)).inserted {
                keep.append(item)
            } else {
                duplicates.append(item.line)
            }
        }
        return (keep, duplicates)
    }

    /// ``split(_:roundID:_:)`` for a batch whose submissions may belong to several rounds or
    /// to none (no round_id: always kept). Lines come back in batch order.
    static func splitByRound(_ db: Database, _ scored: [ScoredSubmission]) throws -> (keep: [ScoredSubmission], duplicateLines: [Int64]) {
        let rounds = Dictionary(grouping: scored.filter { !$0.roundID.isEmpty }, by: \.roundID)
        guard !rounds.isEmpty else { return (scored, []) }
        var duplicates: Set<Int64> = []
        for (roundID, items) in rounds {
            duplicates.formUnion(try split(db, roundID: roundID, items).duplicateLines)
        }
        return (scored.filter { !duplicates.contains($0.line) }, duplicates.sorted())
    }

    private static func key(_ student: String, _ instrument: String) -> String { student + "\u{1F}" + instrument }
}
