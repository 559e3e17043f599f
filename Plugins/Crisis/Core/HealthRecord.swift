/// One student in a file from the provincial health data (省卫健信息), the
/// minimum needed to cross-check (对撞) it with the warning list.
public struct HealthRecord: Sendable, Equatable {
    /// National student registration number (学籍号); may be empty.
    public var nationalStudentID: String
    /// Full name (姓名).
    public var name: String
    /// Birth date (出生日期), normalised to "YYYY-MM-DD".
    public var birthDate: String
    /// Diagnosis category (诊断类别) if the file has one; kept coarse on purpose.
    public var diagnosisCategory: String?
    /// 1-based line in the file, for reports that send a person back to it.
    public var line: Int

    /// Creates a record.
    public init(nationalStudentID: String, name: String, birthDate: String, diagnosisCategory: String? = nil, line: Int = 0) {
        self.nationalStudentID = nationalStudentID
        self.name = name
        self.birthDate = birthDate
        self.diagnosisCategory = diagnosisCategory
        self.line = line
    }
}
