/// The normalised form of a header name used for matching.
///
/// Spreadsheets are typed by people: "student_id", "Student ID" and
/// "student-id" all mean the same column, and a stray full-width space after
/// "学号" is invisible in Excel. Matching (and duplicate detection) therefore
/// ignores case, whitespace of any kind, `_` and `-`.
enum HeaderKey {
    /// Lowercased `name` with all whitespace, `_` and `-` removed.
    static func normalize(_ name: String) -> String {
        String(name.lowercased().filter { !$0.isWhitespace && $0 != "_" && $0 != "-" })
    }

    /// `name` without surrounding whitespace (Unicode-aware, so U+3000 goes too).
    static func trim(_ name: String) -> String {
        guard let first = name.firstIndex(where: { !$0.isWhitespace }),
              let last = name.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(name[first...last])
    }
}
