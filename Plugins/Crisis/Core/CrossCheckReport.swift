/// One student found on both the warning list and the health file.
public struct CrossCheckMatch: Sendable, Equatable {
    /// How the two records were paired.
    public enum Method: String, Sendable, Equatable {
        /// Same national student id (学籍号).
        case nationalStudentID = "national_student_id"
        /// Same name and birth date, because one side had no national id.
        case nameAndBirthDate = "name_and_birth_date"
    }

    /// The city system's student id.
    public var studentID: String
    /// The national student id: the warning row's, or the health record's when the row had none.
    public var nationalStudentID: String
    /// How the match was made; name + birth date matches deserve a human look.
    public var method: Method
    /// The health record's diagnosis category, if any.
    public var diagnosisCategory: String?

    /// Creates a match.
    public init(studentID: String, nationalStudentID: String, method: Method, diagnosisCategory: String? = nil) {
        self.studentID = studentID
        self.nationalStudentID = nationalStudentID
        self.method = method
        self.diagnosisCategory = diagnosisCategory
    }
}

/// The result of cross-checking (对撞) the warning list with provincial health data.
public struct CrossCheckReport: Sendable, Equatable {
    /// Students on both lists, in warning-list order.
    public var matched: [CrossCheckMatch]
    /// Health records with no warning row: students the schools may not know about.
    public var healthOnly: [HealthRecord]
    /// Warning rows with no health record.
    public var warningOnly: [WarningExportRow]
    /// One line for people, with the counts.
    public var summary: String

    /// Creates a report.
    public init(matched: [CrossCheckMatch], healthOnly: [HealthRecord], warningOnly: [WarningExportRow], summary: String) {
        self.matched = matched
        self.healthOnly = healthOnly
        self.warningOnly = warningOnly
        self.summary = summary
    }
}
