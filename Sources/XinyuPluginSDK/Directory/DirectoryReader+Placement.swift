extension DirectoryReader {
    /// An SQL predicate true when the student id in `studentColumn` is now in one of the schools
    /// (`kind` "school") or classes (`kind` "class") given as `placeholders` ("?,?"); nil for
    /// other kinds. For ``ScopeFilter`` with ``ScopeColumns/currentPlacement(ofStudent:agency:)``.
    static func placedSQL(studentColumn: String, kind: String, placeholders: String) -> String? {
        let field: String
        switch kind {
        case DataScope.Kind.school: field = "school_id"
        case DataScope.Kind.class: field = "class_id"
        default: return nil
        }
        return "\(studentColumn) IN (SELECT id FROM \(DirectoryTables.students) WHERE \(field) IN (\(placeholders)))"
    }

    /// An SQL predicate with one `?` (a school id): true when the student id in `studentColumn`
    /// is in that school now. For a list's "one school" filter over rows that keep copies of the
    /// school they were written in:
    ///
    /// ```swift
    /// if !request.schoolID.isEmpty { query.filter(DirectoryReader.inSchoolNowSQL(studentColumn: "c.student_id"), [request.schoolID]) }
    /// ```
    public static func inSchoolNowSQL(studentColumn: String) -> String {
        "\(studentColumn) IN (SELECT id FROM \(DirectoryTables.students) WHERE school_id = ?)"
    }

    /// An SQL expression: the school the student in `studentColumn` is in now, or `fallback` (an
    /// expression, e.g. the row's own copy) when the directory no longer has the student. For
    /// counts grouped by school that must follow transfers.
    public static func currentSchoolSQL(studentColumn: String, fallback: String) -> String {
        "COALESCE((SELECT school_id FROM \(DirectoryTables.students) WHERE id = \(studentColumn)), \(fallback))"
    }
}
