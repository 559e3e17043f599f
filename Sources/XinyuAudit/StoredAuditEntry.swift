import Foundation
import GRDB

/// One row of `audit_entries`, exactly as stored.
struct StoredAuditEntry {
    /// Columns that `init(row:)` decodes.
    static let columns = """
        sequence, time, principal_id, principal_kind, source, method, outcome, detail, subjects, prev_hash, hash
        """

    var sequence: Int64
    var time: String
    var principalID: String
    var principalKind: String
    var source: String
    var method: String
    var outcome: String
    var detail: String
    /// The raw subjects column (a JSON array of strings).
    var subjects: String
    var prevHash: String
    var hash: String

    /// Decodes a row selected with `columns`.
    init(row: Row) {
        sequence = row["sequence"]
        time = row["time"]
        principalID = row["principal_id"]
        principalKind = row["principal_kind"]
        source = row["source"]
        method = row["method"]
        outcome = row["outcome"]
        detail = row["detail"]
        subjects = row["subjects"]
        prevHash = row["prev_hash"]
        hash = row["hash"]
    }

    /// The hashed fields, or nil if the subjects column is not a JSON array of strings (so it was edited).
    func fields() -> AuditFields? {
        guard let subjects = SubjectList.decode(subjects) else { return nil }
        return AuditFields(
            time: time, principalID: principalID, principalKind: principalKind, source: source, method: method,
            outcome: outcome, detail: detail, subjects: subjects)
    }

    /// The record for callers; throws `AuditError.corruptEntry` for a row the log could not have written.
    func record() throws -> AuditRecord {
        guard let ms = AuditTimestamp.parse(time) else {
            throw AuditError.corruptEntry(sequence: sequence, detail: "time is not in the audit format")
        }
        guard let subjects = SubjectList.decode(subjects) else {
            throw AuditError.corruptEntry(sequence: sequence, detail: "subjects are not a list of ids")
        }
        let entry = AuditEntry(
            time: AuditTimestamp.date(milliseconds: ms), principalID: principalID, principalKind: principalKind,
            source: source, method: method, outcome: outcome, detail: detail, subjects: subjects)
        return AuditRecord(sequence: sequence, entry: entry, hash: hash)
    }
}

/// The subjects column: a JSON array of strings (unambiguous for any id, unlike a joined string).
enum SubjectList {
    static func encode(_ subjects: [String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: try encoder.encode(subjects), as: UTF8.self)
    }

    static func decode(_ text: String) -> [String]? {
        try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    }
}
