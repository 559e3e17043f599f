/// Builds the "insert, or update in place when changed" statements the tables use.
///
/// `updated_at_ms` moves only when an updated column really changes, so re-importing an
/// unchanged roster does not look like a change to readers that sync on it. Never
/// `INSERT OR REPLACE`: that deletes the old row first, which would cascade to guardians.
enum UpsertSQL {
    /// - Parameters:
    ///   - columns: every inserted column, without `updated_at_ms` (appended last).
    ///   - conflict: the unique key matched on.
    ///   - updating: the columns an existing row takes from the new values; the rest keep
    ///     their stored value (an import file without an optional column must not clear it).
    static func make(table: String, columns: [String], conflict: [String], updating: [String]) -> String {
        let all = columns + ["updated_at_ms"]
        let insert = "INSERT INTO \(table) (\(all.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: all.count).joined(separator: ", ")))"
        guard !updating.isEmpty else { return insert + " ON CONFLICT (\(conflict.joined(separator: ", "))) DO NOTHING" }
        let set = (updating + ["updated_at_ms"]).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let changed = updating.map { "\($0) IS NOT excluded.\($0)" }.joined(separator: " OR ")
        return insert + " ON CONFLICT (\(conflict.joined(separator: ", "))) DO UPDATE SET \(set) WHERE \(changed)"
    }
}
